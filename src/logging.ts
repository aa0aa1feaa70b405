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

export function loggerOptions(level: string): LoggerOptions {
  const pretty = process.stdout.isTTY === true && process.env.NODE_ENV !== 'production';
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
}
