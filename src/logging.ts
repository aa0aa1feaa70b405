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
