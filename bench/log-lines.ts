// What the request log costs a request (issue 18): Fastify's per-request child
// logger and its line(s), written through the production logger options
// (src/logging.ts: serializers, redaction) to /dev/null. Same-run baselines:
// pino with no redaction at all, and pino given the redaction paths as before
// issue 18 (its wildcard paths ran the redactor on every key of every line). Each configuration writes Fastify's former two lines per request and
// today's one line (src/server/access-log.ts). Rounds alternate the order.
// It prints numbers; it never asserts on them.
//
//   node --import tsx bench/log-lines.ts           # 200,000 requests per run
//   node --import tsx bench/log-lines.ts --quick   # 20,000 (CI)
import pino, { type LoggerOptions } from 'pino';
import { loggerOptions } from '../src/logging.js';
import { summarise, table } from './lib/stats.js';

const QUICK = process.argv.includes('--quick');
const REQUESTS = QUICK ? 20_000 : 200_000;
const BATCH = 100; // timed in batches: one request's lines take a few µs, near the timer's resolution

const { transport: _pretty, ...production } = loggerOptions('info');
// src/logging.ts's list before issue 18, all given to pino's redact.
const BEFORE_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["sec-websocket-protocol"]', 'req.query.token', 'headers.authorization',
  '*.headers.authorization', 'headers.cookie', 'patient', '*.patient', '*.*.patient', 'body.patient', 'req.body', 'res.body', 'token', '*.token',
];
const configurations: Record<string, LoggerOptions> = {
  'no redaction (floor)': { ...production, redact: undefined, formatters: undefined },
  'every path in pino\'s redact (before)': { ...production, formatters: undefined, redact: { paths: BEFORE_PATHS, censor: '[redacted]' } },
  'src/logging.ts (now)': production,
};

// What Fastify logs: the request as its serializer sees it, the reply's status, the duration.
const request = { method: 'POST', url: '/v1/match', host: '127.0.0.1:3000', ip: '127.0.0.1', headers: { authorization: 'Bearer snp_x' } };
const reply = { statusCode: 200 };
const serializers = { res: (r: typeof reply) => ({ statusCode: r.statusCode }) };

type Lines = 'two lines' | 'one line';
function timePerRequest(options: LoggerOptions, lines: Lines): number[] {
  const logger = pino({ ...options, serializers: { ...options.serializers, ...serializers } }, pino.destination({ dest: '/dev/null', sync: false }));
  const micros: number[] = [];
  for (let b = 0; b < REQUESTS / BATCH; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) {
      const child = logger.child({ reqId: `req-${b}-${i}` }, {});
      if (lines === 'two lines') {
        child.info({ req: request }, 'incoming request');
        child.info({ res: reply, responseTime: 1.234 }, 'request completed');
      } else {
        child.info({ req: request, res: reply, responseTime: 1.234 }, 'request completed');
      }
    }
    micros.push(Number(process.hrtime.bigint() - t0) / 1_000 / BATCH);
  }
  return micros;
}

const rows: (string | number)[][] = [['round', 'logger', 'lines', 'p50 µs/request', 'p99 µs/request']];
const names = Object.keys(configurations);
for (let round = 1; round <= 3; round++) {
  const order = round % 2 === 1 ? names : [...names].reverse();
  const result = new Map<string, ReturnType<typeof summarise>>();
  for (const name of order) for (const lines of ['two lines', 'one line'] as const) {
    timePerRequest(configurations[name]!, lines); // warm-up
    result.set(`${name}|${lines}`, summarise(timePerRequest(configurations[name]!, lines)));
  }
  for (const name of names) for (const lines of ['two lines', 'one line'] as const) {
    const r = result.get(`${name}|${lines}`)!;
    rows.push([round, name, lines, r.p50.toFixed(2), r.p99.toFixed(2)]);
  }
}
process.stdout.write(`request log lines, ${REQUESTS} requests per run, timed in batches of ${BATCH}${QUICK ? ' (quick)' : ''}\n`);
table(rows);
