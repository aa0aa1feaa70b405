// Logs are for operators: structured, and never carrying patient data.
import type { LoggerOptions } from 'pino';

/** Paths that may hold patient data or secrets, wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.query.token',
  'headers.authorization',
  'patient',
  '*.patient',
  '*.*.patient',
  'body.patient',
  'req.body',
  'res.body',
  'token',
  '*.token',
];

/** `?token=…` (WebSocket upgrades may carry it there) never reaches a log line. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

/** A PostgreSQL error as the pg driver raises it: a SQLSTATE and a severity. */
function isDatabaseError(error: object): error is Error & Record<string, unknown> {
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string';
}

/** The frames of a stack, without its first line (the message, which may quote data). */
const framesOf = (stack: unknown): string | undefined =>
  typeof stack === 'string' ? stack.split('\n').filter((line) => line.trimStart().startsWith('at ')).join('\n') : undefined;

const SQL_NAMES = ['constraint', 'table', 'column', 'schema', 'dataType', 'routine'] as const;

/**
 * Errors in a log line. A PostgreSQL error is logged by its SQLSTATE (code) and the
 * names of what it is about (constraint, table, column), never with its
 * message, detail, where, hint or parameters: they quote the row (a patient's
 * name in "Failing row contains …"). Other errors keep type, message, code and
 * stack; their causes go through the same rule.
 */
export function errorSerializer(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) && (typeof error !== 'object' || error === null)) return error;
  const cause = depth < 5 && (error as { cause?: unknown }).cause !== undefined ? { cause: errorSerializer((error as { cause?: unknown }).cause, depth + 1) } : {};
  if (isDatabaseError(error)) {
    const names = Object.fromEntries(SQL_NAMES.filter((k) => typeof error[k] === 'string').map((k) => [k, error[k]]));
    return { type: error.constructor?.name ?? 'DatabaseError', code: error.code, severity: error.severity, ...names, stack: framesOf(error.stack), ...cause };
  }
  const { name, message, stack, code, statusCode } = error as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; statusCode?: unknown };
  return {
    type: (error as object).constructor?.name ?? name, message, stack,
    ...(code !== undefined ? { code } : {}), ...(statusCode !== undefined ? { statusCode } : {}), ...cause,
  };
}

interface LoggedRequest { method?: string; url?: string; host?: string; ip?: string; id?: string }

// Replaces Fastify's request serializer (which logs the raw URL, query included).
const requestSerializer = (req: LoggedRequest) => ({
  method: req.method, url: req.url === undefined ? undefined : redactUrl(req.url), host: req.host, remoteAddress: req.ip,
});

export function loggerOptions(level: string): LoggerOptions {
  const pretty = process.stdout.isTTY === true && process.env.NODE_ENV !== 'production';
  return {
    level,
    serializers: { req: requestSerializer, err: errorSerializer },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
}
