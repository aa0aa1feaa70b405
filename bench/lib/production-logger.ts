// The service's production logger (src/main.ts: level info, the same
// serializers and redaction), its lines thrown away: a benchmark measures the
// service with its request logging on, as it runs, not with logging silenced.
import pino, { type Logger } from 'pino';
import { loggerOptions } from '../../src/logging.js';

export function productionLogger(): Logger {
  const { transport: _pretty, ...options } = loggerOptions('info');
  return pino(options, pino.destination({ dest: '/dev/null', sync: false }));
}
