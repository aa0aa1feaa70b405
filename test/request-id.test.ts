// One request id per HTTP request: the caller's X-Request-Id when it sends a
// sane one, else a fresh UUID; echoed in the response, on every log line of
// the request, in the audit rows the request wrote and in the booking events
// pushed to the professional's socket. Tokens in a query string never reach the logs.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import t from 'tap';
import { loadConfig } from '../src/config.js';
import { loggerOptions } from '../src/logging.js';
import { startService } from '../src/service.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { waitReady } from './helpers/ready.js';
import { http } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

t.test('request ids reach the response, the logs and the audit trail', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const [slot] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 1 });
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a']);
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write(chunk, _encoding, done) { for (const l of String(chunk).split('\n')) if (l !== '') lines.push(JSON.parse(l)); done(); } });
  const logger = pino({ ...loggerOptions('info'), transport: undefined }, sink);
  const service = await startService(loadConfig({ NODE_ENV: 'test', PLUGIN_TIMEOUT_MS: '120000', PORT: '0', SEED_DEMO: 'false', DATABASE_URL: db.url, PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' }), logger);
  t.teardown(() => service.close());
  await waitReady(service);
  await service.sync.catchUp();
  const professional = await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps);
  const pro = await TestSocket.open(service.url, '/v1/ws/professional', professional.token);
  t.teardown(() => pro.close());
  await pro.waitFor((m) => m.type === 'ready');

  const booked = await http(service, 'POST', '/v1/bookings', {
    token: regulator.token, headers: { 'idempotency-key': randomUUID(), 'x-request-id': 'sas-trace-0042' },
    body: { slotId: slot, patient: { name: 'A. B.', phone: '0612345678' } },
  });
  t.equal(booked.status, 201);
  t.equal(booked.headers.get('x-request-id'), 'sas-trace-0042', 'the caller\'s id is echoed');
  const cancelled = await http(service, 'POST', `/v1/bookings/${booked.json.booking.id}/cancel`, { token: regulator.token, body: {} });
  const generated = cancelled.headers.get('x-request-id')!;
  t.match(generated, /^[0-9a-f-]{36}$/, 'without one, a UUID is made');
  const hostile = await http(service, 'GET', '/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } });
  t.not(hostile.headers.get('x-request-id'), 'bad id\twith spaces', 'an unsafe id is replaced');

  const audit = await db.db.selectFrom('audit_log').select(['action', 'request_id']).where('entity', '=', 'booking').orderBy('id').execute();
  t.same(audit.map((a) => a.request_id), ['sas-trace-0042', generated], 'each audit row names the request that wrote it');
  const created = await pro.waitFor((m) => m.type === 'booking.created');
  const cancelledEvent = await pro.waitFor((m) => m.type === 'booking.cancelled');
  t.equal(created.requestId, 'sas-trace-0042', 'the push names the request that booked');
  t.equal(cancelledEvent.requestId, generated, 'and the one that cancelled');

  const secret = 'snp_this-token-must-not-be-logged';
  await http(service, 'GET', `/v1/indicators?territory=terr-a&token=${secret}`);
  await http(service, 'GET', `/v1/indicators?territory=terr-a&token=${coordinator.token}`);
  const completed = lines.filter((l) => l.msg === 'request completed');
  t.ok(completed.some((l) => l.reqId === 'sas-trace-0042'), 'the request id is on the completion log line');
  t.ok(completed.every((l) => typeof (l.res as { statusCode?: number })?.statusCode === 'number' && typeof l.responseTime === 'number'), 'status and duration logged');
  // One line per request (an access log's): what was asked, by whom, and how it ended.
  t.match(completed.find((l) => l.reqId === 'sas-trace-0042'), { req: { method: 'POST', url: '/v1/bookings', remoteAddress: '127.0.0.1' }, res: { statusCode: 201 } }, 'the request and its outcome on one line');
  t.notOk(lines.some((l) => l.msg === 'incoming request'), 'no arrival line at info');
  const all = JSON.stringify(lines);
  t.notOk(all.includes(secret), 'a token in the query string is not logged');
  t.notOk(all.includes(coordinator.token), 'nor a valid one');
  t.ok(all.includes('token=[redacted]'), 'the URL is logged with the token redacted');

  // A client that gives up mid-request still leaves its line.
  const socket = connect(Number(new URL(service.url).port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(`POST /v1/bookings HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${regulator.token}\r\nx-request-id: gave-up-0001\r\n`
    + 'content-type: application/json\r\ncontent-length: 100\r\n\r\n{"slotId":');
  await new Promise((resolve) => setTimeout(resolve, 200));
  socket.destroy();
  let aborted: Record<string, unknown> | undefined;
  for (let i = 0; i < 100 && aborted === undefined; i++) {
    aborted = lines.find((l) => l.reqId === 'gave-up-0001' && l.msg === 'request aborted');
    if (aborted === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  t.match(aborted, { req: { method: 'POST', url: '/v1/bookings' } }, 'an aborted request is logged, once it is aborted');
  t.notOk(JSON.stringify(lines).includes(regulator.token), 'without its token');
});
