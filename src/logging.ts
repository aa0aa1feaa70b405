// Logs are for operators: structured, and never carrying patient data.
import Redact from '@pinojs/redact';
import type { LoggerOptions } from 'pino';

/**
 * Paths that may hold patient data or secrets. Those naming a top-level key are
 * pino's own redaction; those under any top-level key (`*.…`) are applied by
 * `scrubNested` below, to the lines that carry a free-form object. A request and
 * a reply are logged through serializers that keep named fields only (method,
 * URL redacted, host, address; status): their headers, query and bodies never
 * reach a line, so no path under `req` or `res` is needed (each cost a request's
 * line a clone of both).
 */
export const REDACTED_PATHS = [
  'headers.authorization',
  'headers.cookie',
  'patient',
  'body.patient',
  'token',
];
export const NESTED_REDACTED_PATHS = [
  '*.headers.authorization',
  '*.patient',
  '*.*.patient',
  '*.token',
];
const CENSOR = '[redacted]';

/**
 * Keys whose serializer (below) keeps only named fields,
 * none of which a nested path can match: a line made of them and of plain values
 * has nothing for the nested paths to find.
 */
const SERIALIZED_KEYS = new Set(['req', 'res', 'err']);
const nestedRedactor = Redact({ paths: NESTED_REDACTED_PATHS, censor: CENSOR, serialize: false, strict: false });

/**
 * The `*.…` paths, applied by @pinojs/redact (the redactor pino itself uses)
 * only to lines that carry an object other than req, res or err. Given to pino
 * as `redact`, a wildcard-first path runs the redactor on every key of every
 * line, the message and the request id included: that doubled the cost of a
 * request's log lines; this way they cost as much as with no redaction at all
 * (bench/log-lines.ts, same-run baselines).
 */
function scrubNested<T extends Record<string, unknown>>(object: T): T {
  for (const key in object) {
    const value = object[key];
    if (typeof value === 'object' && value !== null && !SERIALIZED_KEYS.has(key)) return nestedRedactor(object) as T;
  }
  return object;
}

const TOKEN_LIKE = /snp_/i;
/** A path with no query, no percent-escape, no '+' and nothing like a token: redactUrl has nothing to do. */
const PLAIN_URL = /^[A-Za-z0-9\-._~/:@!$&'()*,;=]*$/;

/** Percent-decoding as a query parser would, tolerant of malformed escapes (each valid %XX decoded alone). */
function decoded(part: string): string {
  const spaced = part.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/**
 * A URL fit for a log line: the value of every query parameter whose DECODED
 * name is `token` (`?to%6Ben=` is `?token=` to the query parser), and every
 * path segment, parameter name or value that decodes to something carrying an
 * API token (`snp_…`), replaced by `[redacted]`.
 */
export function redactUrl(url: string): string {
  // Every request is logged: the common URL (no query, no escape, nothing token-like) is kept as it is, unparsed.
  if (PLAIN_URL.test(url) && !TOKEN_LIKE.test(url)) return url;
  const mark = url.indexOf('?');
  const path = (mark < 0 ? url : url.slice(0, mark)).split('/').map((segment) => (TOKEN_LIKE.test(decoded(segment)) ? '[redacted]' : segment)).join('/');
  if (mark < 0) return path;
  const query = url.slice(mark + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    const plainName = decoded(name);
    if (TOKEN_LIKE.test(plainName)) return '[redacted]';
    if (plainName.trim().toLowerCase() === 'token' || TOKEN_LIKE.test(decoded(value))) return `${name}=[redacted]`;
    return pair;
  });
  return `${path}?${query.join('&')}`;
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

// Fastify's own, here so that every logger has it: a reply is logged by its status only.
const replySerializer = (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode });

export function loggerOptions(level: string): LoggerOptions {
  const pretty = process.stdout.isTTY === true && process.env.NODE_ENV !== 'production';
  return {
    level,
    serializers: { req: requestSerializer, res: replySerializer, err: errorSerializer },
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    // Lines only: pino applies no formatter to a child's bindings, which get the top-level paths
    // (Fastify's per-request child binds the request id alone; src/ binds nothing else).
    formatters: { log: scrubNested },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
}
