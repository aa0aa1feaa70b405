// A booking's life over real HTTP: created, read, cancelled (its slot
// matchable again at once), no-show / honoured; input errors name the field;
// patient data is minimal, purged after the retention period, never logged.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import t from 'tap';
import { loadConfig } from '../src/config.js';
import { purgePatientData } from '../src/db/housekeeping.js';
import { loggerOptions } from '../src/logging.js';
import { startService } from '../src/service.js';
import { migratedDatabase } from './helpers/database.js';
import { addBooking, addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { http, matchIds, startTestService } from './helpers/service.js';

const patient = { name: 'Zoé Lemaire', phone: '+33 6 98 76 54 32', age: 7, sex: 'female' as const };
const book = (service: { url: string }, token: string, body: unknown, key: string = randomUUID()) =>
  http(service, 'POST', '/v1/bookings', { token, headers: { 'idempotency-key': key }, body });

t.test('book, read, cancel: the slot is matchable again at once, everyone concerned is told', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const [slot] = await addSlots(db.db, pro, { start: soon(), count: 2 });
  const service = await startTestService(t, db.url);
  await service.sync.catchUp();
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const professional = await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps);

  const created = await book(service, regulator.token, { slotId: slot, patient });
  t.equal(created.status, 201, 'booked', { body: created.json });
  t.match(created.json.booking, { slotId: slot, status: 'booked', start: /\+01:00$|\+02:00$/, professional: { rpps: pro.rpps } });
  await service.sync.catchUp();
  t.notOk((await matchIds(service, regulator.token)).includes(slot!), 'a booked slot is not matchable');

  const id = created.json.booking.id;
  const seenByPro = await http(service, 'GET', `/v1/bookings/${id}`, { token: professional.token });
  t.equal(seenByPro.status, 200);
  t.same(seenByPro.json.booking.patient, patient, 'the professional reads the call-back details');
  const created_event = await db.db.selectFrom('events').selectAll().where('booking_id', '=', id).executeTakeFirstOrThrow();
  t.match(created_event, { recipient_kind: 'professional', recipient_id: pro.id, type: 'booking.created' });
  t.match(created_event.payload, { booking: { id, slotId: slot, status: 'booked', patient, modality: 'office' } }, 'the outbox event carries the booking');

  const cancelled = await http(service, 'POST', `/v1/bookings/${id}/cancel`, { token: professional.token, body: { reason: 'ill' } });
  t.equal(cancelled.status, 200, 'the professional may cancel');
  t.match(cancelled.json.booking, { status: 'cancelled', cancelReason: 'ill', cancelledAt: /^\d{4}-/ });
  t.ok((await matchIds(service, regulator.token)).includes(slot!), 'matchable again as soon as the cancel answered');
  const events = await db.db.selectFrom('events').selectAll().where('booking_id', '=', id).where('type', '=', 'booking.cancelled').orderBy('id').execute();
  t.same(events.map((e) => [e.recipient_kind, e.recipient_id]), [['professional', pro.id], ['client', regulator.id]], 'the professional and the requester are told');
  t.equal((await http(service, 'POST', `/v1/bookings/${id}/cancel`, { token: regulator.token })).status, 200, 'cancelling twice is harmless');
  t.equal((await http(service, 'POST', `/v1/bookings/${id}/honoured`, { token: professional.token })).status, 409, 'a cancelled booking has no outcome');

  const again = await book(service, regulator.token, { slotId: slot, patient });
  t.equal(again.status, 201, 'the slot can be booked again');
  const audit = await db.db.selectFrom('audit_log').select(['action', 'client_id']).where('entity', '=', 'booking').orderBy('id').execute();
  t.same(audit.map((a) => a.action), ['booking.create', 'booking.cancel', 'booking.create'], 'every booking and cancellation is audited');
  t.equal(audit[1]!.client_id, professional.id, 'with who did it');
});

t.test('no-show and honoured: professional or coordinator, only once the slot has started', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const [past1, past2] = await addSlots(db.db, pro, { start: Date.now() - 3 * 3_600_000, count: 2 });
  const [future] = await addSlots(db.db, pro, { start: soon(), count: 1 });
  const service = await startTestService(t, db.url);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const professional = await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps);
  const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a']);
  const b1 = await addBooking(db.db, { slotId: past1!, clientId: regulator.id });
  const b2 = await addBooking(db.db, { slotId: past2!, clientId: regulator.id });
  const b3 = (await book(service, regulator.token, { slotId: future, patient })).json.booking.id;

  t.equal((await http(service, 'POST', `/v1/bookings/${b1}/honoured`, { token: regulator.token })).status, 403, 'not the requester\'s call');
  const honoured = await http(service, 'POST', `/v1/bookings/${b1}/honoured`, { token: professional.token });
  t.equal(honoured.status, 200);
  t.equal(honoured.json.booking.status, 'honoured');
  t.equal((await http(service, 'POST', `/v1/bookings/${b1}/honoured`, { token: professional.token })).status, 200, 'repeating is harmless');
  t.equal((await http(service, 'POST', `/v1/bookings/${b1}/no-show`, { token: professional.token })).status, 409, 'but it does not flip');
  t.equal((await http(service, 'POST', `/v1/bookings/${b2}/no-show`, { token: coordinator.token })).json.booking.status, 'no-show', 'the coordinator may record it');
  const early = await http(service, 'POST', `/v1/bookings/${b3}/no-show`, { token: professional.token });
  t.equal(early.status, 409, 'not before the slot starts');
  t.equal(early.json.type, 'urn:problem:snp-match:too-early');
  const audit = await db.db.selectFrom('audit_log').select('action').where('entity_id', 'in', [b1, b2]).orderBy('id').execute();
  t.same(audit.map((a) => a.action), ['booking.honoured', 'booking.no-show']);
});

t.test('bad booking requests are 4xx problems naming the field', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const [slot] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 1 });
  const service = await startTestService(t, db.url);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const cases: [string, unknown, Record<string, string> | null, number, string][] = [
    ['no key', { slotId: slot, patient }, {}, 400, 'headers.idempotency-key'],
    ['key with spaces', { slotId: slot, patient }, { 'idempotency-key': 'a b' }, 400, 'headers.idempotency-key'],
    ['key too long', { slotId: slot, patient }, { 'idempotency-key': 'k'.repeat(201) }, 400, 'headers.idempotency-key'],
    ['no patient', { slotId: slot }, null, 400, 'body.patient'],
    ['no slot nor hold', { patient }, null, 400, 'body.slotId'],
    ['both slot and hold', { slotId: slot, holdId: randomUUID(), patient }, null, 400, 'body.slotId'],
    ['bad phone', { slotId: slot, patient: { ...patient, phone: 'call me' } }, null, 400, 'body.patient.phone'],
    ['clinical data', { slotId: slot, patient: { ...patient, diagnosis: 'x' } }, null, 400, 'body.patient.diagnosis'],
    ['bad sex', { slotId: slot, patient: { ...patient, sex: 'x' } }, null, 400, 'body.patient.sex'],
    ['unknown slot', { slotId: randomUUID(), patient }, null, 404, 'body.slotId'],
    ['unknown hold', { holdId: randomUUID(), patient }, null, 404, 'body.holdId'],
    ['unknown request', { slotId: slot, requestId: randomUUID(), patient }, null, 400, 'body.requestId'],
  ];
  for (const [what, body, headers, status, field] of cases) {
    const answer = await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: headers ?? { 'idempotency-key': randomUUID() }, body });
    t.equal(answer.status, status, what);
    t.match(answer.headers.get('content-type'), /application\/problem\+json/, `${what}: problem+json`);
    t.equal(answer.json.errors?.[0]?.field, field, `${what}: names ${field}`);
  }
  t.equal((await http(service, 'GET', '/v1/bookings/not-a-uuid', { token: regulator.token })).json.errors[0].field, 'params.id');
  t.equal((await http(service, 'GET', '/v1/bookings?limit=1000', { token: regulator.token })).json.errors[0].field, 'querystring.limit');
  t.equal((await db.db.selectFrom('bookings').select('id').execute()).length, 0, 'nothing was booked');
});

t.test('patient data is purged after the retention period, outbox included', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const [old] = await addSlots(db.db, pro, { start: Date.now() - 100 * 86_400_000, count: 1 });
  const [recent] = await addSlots(db.db, pro, { start: Date.now() - 10 * 86_400_000, count: 1 });
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const oldBooking = await addBooking(db.db, { slotId: old!, clientId: regulator.id, patient });
  const recentBooking = await addBooking(db.db, { slotId: recent!, clientId: regulator.id, patient });
  await db.db.insertInto('events').values({ recipient_kind: 'professional', recipient_id: pro.id, type: 'booking.created', booking_id: oldBooking, payload: JSON.stringify({ booking: { id: oldBooking, patient } }), acked_at: null }).execute();

  t.same(await purgePatientData(db.db, 90), { bookings: 1, events: 1 });
  const rows = await db.db.selectFrom('bookings').select(['id', 'patient', 'patient_purged_at']).orderBy('starts_at').execute();
  t.equal(rows[0]!.id, oldBooking);
  t.equal(rows[0]!.patient, null, 'the old booking lost its patient fields');
  t.ok(rows[0]!.patient_purged_at, 'and says when');
  t.same(rows[1]!.patient, patient, 'a recent one keeps them');
  t.equal(rows[1]!.id, recentBooking);
  const event = await db.db.selectFrom('events').select('payload').executeTakeFirstOrThrow();
  t.same(event.payload, { booking: { id: oldBooking } }, 'the outbox copy is stripped too');
  t.same(await purgePatientData(db.db, 90), { bookings: 0, events: 0 }, 'idempotent');

  const service = await startTestService(t, db.url);
  const read = await http(service, 'GET', `/v1/bookings/${oldBooking}`, { token: regulator.token });
  t.equal(read.json.booking.patient, null);
  t.match(read.json.booking.patientPurgedAt, /^\d{4}-/);
});

t.test('rate limiting per client: 429 problem+json with Retry-After', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url, { RATE_LIMIT_PER_MINUTE: '5' });
  const one = await tokenFor(db.db, 'regulator', ['terr-a']);
  const two = await tokenFor(db.db, 'regulator', ['terr-a']);
  const statuses: number[] = [];
  let last;
  for (let i = 0; i < 6; i++) {
    last = await http(service, 'GET', '/v1/bookings', { token: one.token });
    statuses.push(last.status);
  }
  t.same(statuses, [200, 200, 200, 200, 200, 429]);
  t.match(last!.headers.get('content-type'), /application\/problem\+json/);
  t.ok(Number(last!.headers.get('retry-after')) >= 1, 'Retry-After in seconds');
  t.equal(last!.json.type, 'urn:problem:snp-match:rate-limited');
  t.equal((await http(service, 'GET', '/v1/bookings', { token: two.token })).status, 200, 'another client is not affected');
});

t.test('the OpenAPI document describes the routes, with examples', async (t) => {
  const db = await migratedDatabase(t);
  const service = await startTestService(t, db.url);
  const doc = (await http(service, 'GET', '/docs/json')).json;
  for (const [path, method] of [['/v1/holds', 'post'], ['/v1/holds/{id}', 'delete'], ['/v1/bookings', 'post'], ['/v1/bookings', 'get'], ['/v1/bookings/{id}', 'get'],
    ['/v1/bookings/{id}/cancel', 'post'], ['/v1/bookings/{id}/no-show', 'post'], ['/v1/bookings/{id}/honoured', 'post'],
    ['/v1/admin/professionals', 'post'], ['/v1/admin/professionals/{id}', 'patch'], ['/v1/admin/professionals/{id}/sites', 'post'],
    ['/v1/admin/professionals/{id}/unavailable', 'post'], ['/v1/admin/bands', 'post'], ['/v1/admin/slots', 'post'], ['/v1/admin/slots/{id}/block', 'post']] as const) {
    t.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`);
  }
  const post = doc.paths['/v1/bookings'].post;
  t.ok(post.parameters.some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'idempotency-key'), 'the Idempotency-Key header is documented');
  t.ok(JSON.stringify(post.requestBody).includes('"example"'), 'the booking body has an example');
  t.ok(JSON.stringify(post.responses['409']).includes('alternatives'), 'the 409 documents alternatives');
});

t.test('no patient data in the logs, even at trace level', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const [slot] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 1 });
  let logs = '';
  const sink = new Writable({ write(chunk, _encoding, done) { logs += String(chunk); done(); } });
  const logger = pino({ ...loggerOptions('trace'), transport: undefined }, sink);
  const service = await startService(loadConfig({ NODE_ENV: 'test', PLUGIN_TIMEOUT_MS: '120000', PORT: '0', SEED_DEMO: 'false', DATABASE_URL: db.url, LOG_LEVEL: 'trace', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' }), logger);
  t.teardown(() => service.close());
  await service.sync.catchUp();
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const created = await book(service, regulator.token, { slotId: slot, patient });
  await book(service, regulator.token, { slotId: slot, patient: { ...patient, phone: 'not a phone 12' } });
  await http(service, 'GET', `/v1/bookings/${created.json.booking.id}`, { token: regulator.token });
  await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': 'x', 'content-type': 'application/json' }, body: `{"patient": {"name": "${patient.name}"` });
  t.ok(logs.includes('request completed'), 'requests were logged');
  for (const secret of [patient.name, patient.phone, 'not a phone 12', regulator.token]) t.notOk(logs.includes(secret), `the logs do not contain ${secret.slice(0, 6)}…`);
});
