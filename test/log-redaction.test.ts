// The nested redaction paths (`*.patient`, `*.*.patient`, `*.token`,
// `*.headers.authorization`) are applied by src/logging.ts only to lines that
// carry a free-form object, not by pino on every key of every line. The oracle:
// pino with every path given to its own `redact`, as before. For any line, the
// two must write the same JSON. A child logger's bindings get the top-level
// paths only (pino applies no log formatter to them); Fastify's per-request
// child binds the request id alone, and src/ binds nothing else.
import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import t from 'tap';
import { loggerOptions, NESTED_REDACTED_PATHS, REDACTED_PATHS } from '../src/logging.js';

function capture(options: pino.LoggerOptions) {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
  return { logger: pino({ ...options, transport: undefined, timestamp: false, base: undefined }, sink), lines };
}

const ours = capture(loggerOptions('info'));
const oracle = capture({ ...loggerOptions('info'), formatters: undefined, redact: { paths: [...REDACTED_PATHS, ...NESTED_REDACTED_PATHS], censor: '[redacted]' } });

// Keys the paths name, and others; values nested up to four levels.
const key = fc.constantFrom('patient', 'token', 'headers', 'authorization', 'cookie', 'body', 'booking', 'client', 'name', 'a', 'b');
const leaf = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }), fc.array(tie('value'), { maxLength: 2 })),
}));
const line = fc.dictionary(key, value, { maxKeys: 5, noNullPrototype: true });

t.test('the same redaction as pino given every path, on any line', async (t) => {
  fc.assert(fc.property(line, (object) => {
    ours.logger.info(object, 'line');
    oracle.logger.info(object, 'line');
    return ours.lines.at(-1) === oracle.lines.at(-1);
  }), { numRuns: 2_000 });
  t.pass('2,000 random lines written alike');
});

t.test('examples: what each kind of path hides', async (t) => {
  const write = (object: object) => { ours.logger.info(object, 'x'); return JSON.parse(ours.lines.at(-1)!) as Record<string, any>; };
  t.equal(write({ patient: { name: 'Jeanne Martin' } }).patient, '[redacted]', 'a top-level patient');
  t.equal(write({ booking: { patient: { name: 'Jeanne Martin' }, id: 'b1' } }).booking.patient, '[redacted]', 'one level down');
  t.equal(write({ event: { payload: { patient: 'Jeanne Martin' } } }).event.payload.patient, '[redacted]', 'two levels down');
  t.equal(write({ client: { token: 'snp_secret' } }).client.token, '[redacted]', 'a token under any key');
  t.equal(write({ upstream: { headers: { authorization: 'Bearer x' } } }).upstream.headers.authorization, '[redacted]', 'an authorization header under any key');
  t.equal(write({ booking: { id: 'b1' } }).booking.id, 'b1', 'the rest is kept');
  const logged = JSON.stringify(write({
    req: { method: 'POST', url: '/v1/bookings', headers: { authorization: 'Bearer snp_secret', cookie: 'sid=secret' }, query: { token: 'snp_secret' }, body: { patient: 'Jeanne Martin' } },
    res: { statusCode: 201, body: { patient: 'Jeanne Martin' }, headers: { 'set-cookie': 'sid=secret' } },
  }));
  t.notOk(/secret|Jeanne/.test(logged), 'a request and its reply: their named fields only');
  t.match(JSON.parse(logged), { req: { method: 'POST', url: '/v1/bookings' }, res: { statusCode: 201 } });
  const original = { booking: { patient: 'Jeanne Martin' } };
  write(original);
  t.equal(original.booking.patient, 'Jeanne Martin', 'the logged object itself is left untouched');
  ours.logger.child({ patient: 'Jeanne Martin', token: 'snp_secret' }).info('with bindings');
  t.notOk(/Jeanne|snp_secret/.test(ours.lines.at(-1)!), 'a child logger\'s bindings get the top-level paths');
});
