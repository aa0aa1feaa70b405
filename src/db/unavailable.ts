// Is this error "PostgreSQL cannot be reached right now" (restarting, connection
// dropped, pool exhausted) rather than a fault of ours? Such a request is worth
// retrying: callers get a 503 with Retry-After, not a 500.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// SQLSTATE classes 08 (connection exception) and 57P (operator intervention:
// shutdown, crash recovery, cannot connect now), 53300 too many connections,
// 57014 statement cancelled (e.g. by a shutdown).
const SQLSTATE = /^(08...|57P0[1-4]|53300|57014)$/;
const MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'the database system is',
  'terminating connection',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
    if (MESSAGES.some((m) => e instanceof Error && e.message.includes(m))) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}
