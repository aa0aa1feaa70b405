// Logs are for operators: structured, and never carrying patient data.
import type { LoggerOptions } from 'pino';

/** Paths that may hold patient data or secrets, wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  'req.query.token',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  'patient',
  '*.patient',
  '*.*.patient',
  'body.patient',
  'req.body',
  'res.body',
  'token',
  '*.token',
];

const TOKEN_LIKE = /snp_/i;

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

interface LoggedRequest { method?: string; url?: string; host?: string; ip?: string; id?: string }

// Replaces Fastify's request serializer (which logs the raw URL, query included).
const requestSerializer = (req: LoggedRequest) => ({
  method: req.method, url: req.url === undefined ? undefined : redactUrl(req.url), host: req.host, remoteAddress: req.ip,
});

export function loggerOptions(level: string): LoggerOptions {
  const pretty = process.stdout.isTTY === true && process.env.NODE_ENV !== 'production';
  return {
    level,
    serializers: { req: requestSerializer },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
}
