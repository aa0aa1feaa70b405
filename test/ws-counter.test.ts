// The pharmacist's counter socket: the HTTP requests over one socket, with the
// same race, idempotency, authorization and error answers as HTTP (the same
// use cases and schemas), plus live availability of its territory.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { nthPatient } from './helpers/patients.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

const ENV = { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' };
const patient = (i: number) => ({ ...nthPatient(i), age: 30 + i, sex: 'female' as const });

t.test('40 concurrent book messages on 4 slots over two sockets on two instances: exactly 4 bookings, 36 clean 409s', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const start = soon();
  const targets = await addSlots(db.db, w.a.pros[0]!, { start, count: 4 });
  await addSlots(db.db, w.a.pros[1]!, { start: start + 3 * 3_600_000, count: 4 }); // alternatives for the losers
  const [a, b] = await Promise.all([startTestService(t, db.url, ENV), startTestService(t, db.url, ENV)]);
  await Promise.all([a.sync.catchUp(), b.sync.catchUp()]);
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const one = await TestSocket.open(a.url, '/v1/ws/counter', pharmacist.token);
  const two = await TestSocket.open(b.url, '/v1/ws/counter', pharmacist.token, { query: true });
  t.teardown(async () => { await one.close(); await two.close(); });

  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? one : two).request({
    id: `book-${i}`, type: 'book', idempotencyKey: randomUUID(), body: { slotId: targets[i % 4], patient: patient(i) },
  }, 15_000)));
  const won = answers.filter((m) => m.ok);
  const lost = answers.filter((m) => !m.ok);
  t.equal(won.length, 4, 'exactly 4 bookings');
  t.same(new Set(won.map((m) => m.result.booking.slotId)), new Set(targets), 'one per slot');
  t.equal(lost.length, 36);
  t.ok(lost.every((m) => m.error.status === 409 && m.error.type === 'urn:problem:snp-match:slot-unavailable'
    && Array.isArray(m.error.alternatives) && m.error.alternatives.length > 0), 'every loser: a 409 problem with alternatives, as over HTTP');
  const live = await db.db.selectFrom('bookings').select('id').where('status', '=', 'booked').execute();
  t.equal(live.length, 4, '4 bookings in PostgreSQL');
});

t.test('idempotency: the same key and body replay the same booking (also across HTTP), another body is a 422, no key is a 400', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const [slot, other] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 2 });
  const service = await startTestService(t, db.url, ENV);
  await service.sync.catchUp();
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const socket = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token);
  t.teardown(() => socket.close());
  const key = randomUUID();
  const body = { slotId: slot, patient: patient(1) };

  const first = await socket.request({ id: 1, type: 'book', idempotencyKey: key, body });
  t.equal(first.ok, true);
  t.notOk('replayed' in first, 'a first answer is not a replay');
  const again = await socket.request({ id: 2, type: 'book', idempotencyKey: key, body });
  t.same(again, { id: 2, ok: true, result: first.result, replayed: true }, 'replayed key: the same booking');
  const overHttp = await http(service, 'POST', '/v1/bookings', { token: pharmacist.token, headers: { 'idempotency-key': key }, body });
  t.equal(overHttp.status, 201);
  t.same(overHttp.json, first.result, 'HTTP with the same key and body answers the same booking');
  t.equal(overHttp.headers.get('idempotent-replayed'), 'true');

  const reused = await socket.request({ id: 3, type: 'book', idempotencyKey: key, body: { slotId: other, patient: patient(1) } });
  const reusedHttp = await http(service, 'POST', '/v1/bookings', { token: pharmacist.token, headers: { 'idempotency-key': key }, body: { slotId: other, patient: patient(1) } });
  t.equal(reused.error.status, 422);
  t.same(reused.error, reusedHttp.json, 'the same 422 problem as HTTP');

  const noKey = await socket.request({ id: 4, type: 'book', body: { slotId: other, patient: patient(2) } });
  t.equal(noKey.error.status, 400);
  t.same(noKey.error.errors.map((e: { field: string }) => e.field), ['idempotencyKey'], 'names the idempotencyKey field');
  const bookings = await db.db.selectFrom('bookings').select('id').execute();
  t.equal(bookings.length, 1, 'one booking in all');
});

t.test('authorization and validation errors are the HTTP problem bodies', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const [slotA] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 1 });
  const [slotB] = await addSlots(db.db, w.b.pros[0]!, { start: soon(), count: 1 });
  const service = await startTestService(t, db.url, ENV);
  await service.sync.catchUp();
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const socket = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token);
  t.teardown(() => socket.close());

  const cases: { name: string; type: string; path: string; body: unknown; status: number; headers?: Record<string, string> }[] = [
    { name: 'match in another territory', type: 'match', path: '/v1/match', body: { territory: 'terr-b' }, status: 403 },
    { name: 'hold a slot of another territory', type: 'hold', path: '/v1/holds', body: { slotId: slotB }, status: 404 },
    { name: 'match with a bad horizon', type: 'match', path: '/v1/match', body: { territory: 'terr-a', horizonHours: 72 }, status: 400 },
    { name: 'hold without slotId', type: 'hold', path: '/v1/holds', body: {}, status: 400 },
    { name: 'hold with an unknown field', type: 'hold', path: '/v1/holds', body: { slotId: slotA, extra: 1 }, status: 400 },
    { name: 'triage with an unknown complaint', type: 'triage', path: '/v1/triage', body: { patient: { age: 30, sex: 'female' }, complaint: 'nonsense' }, status: 400 },
  ];
  for (const c of cases) {
    const [overWs, overHttp] = await Promise.all([
      socket.request({ id: c.name, type: c.type, body: c.body }),
      http(service, 'POST', c.path, { token: pharmacist.token, body: c.body }),
    ]);
    t.equal(overHttp.status, c.status, `${c.name}: HTTP ${c.status}`);
    t.same({ ok: overWs.ok, error: overWs.error }, { ok: false, error: overHttp.json }, `${c.name}: the same problem over the socket`);
  }

  const cancelled = await socket.request({ id: 'c', type: 'cancel', body: { bookingId: randomUUID() } });
  t.equal(cancelled.error.status, 404, 'cancelling an unknown booking: 404');
  const badCancel = await socket.request({ id: 'c2', type: 'cancel', body: { bookingId: 'x' } });
  t.same(badCancel.error.errors.map((e: { field: string }) => e.field), ['body.bookingId']);

  const refused = await TestSocket.open(service.url, '/v1/ws/counter', (await tokenFor(db.db, 'coordinator', ['terr-a'])).token).catch((e) => e);
  t.equal(refused.status, 403, 'a coordinator has no counter socket');
});

t.test('triage, request, match, hold, book from the hold, cancel: the HTTP answers over one socket', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 3 });
  const service = await startTestService(t, db.url, ENV);
  await service.sync.catchUp();
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const socket = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token);
  t.teardown(() => socket.close());

  const triageBody = { patient: { age: 30, sex: 'female' }, complaint: 'urinary-burning', commune: '69259' };
  const triage = await socket.request({ id: 't', type: 'triage', body: triageBody });
  const triageHttp = await http(service, 'POST', '/v1/triage', { token: pharmacist.token, body: triageBody });
  t.same(triage, { id: 't', ok: true, result: triageHttp.json }, 'triage: as over HTTP');
  t.equal(triage.result.orientation, 'pharmacy-protocol');

  const request = await socket.request({ id: 'r', type: 'request', body: { patient: { age: 40, sex: 'male' }, complaint: 'fever', commune: '69259' } });
  t.equal(request.ok, true, 'request recorded');
  t.ok(request.result.request.id, 'with its id');

  const matched = await socket.request({ id: 'm', type: 'match', body: { commune: '69259', professions: ['gp'] } });
  t.equal(matched.result.candidates.length, 3);
  const slotId = matched.result.candidates[0].slot.id;
  const hold = await socket.request({ id: 'h', type: 'hold', body: { slotId, requestId: request.result.request.id } });
  t.equal(hold.result.hold.slotId, slotId, 'held');
  const booked = await socket.request({ id: 'b', type: 'book', idempotencyKey: 'k-1', body: { holdId: hold.result.hold.id, requestId: request.result.request.id, patient: patient(1) } });
  t.equal(booked.result.booking.slotId, slotId, 'booked from the hold');
  const cancel = await socket.request({ id: 'c', type: 'cancel', body: { bookingId: booked.result.booking.id, reason: 'patient better' } });
  t.equal(cancel.result.booking.status, 'cancelled');
  t.equal(cancel.result.booking.cancelReason, 'patient better');
});

t.test('availability: slots taken and freed in the territory are pushed, coalesced', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const slots = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 20 });
  const [slotB] = await addSlots(db.db, w.b.pros[0]!, { start: soon(), count: 1 });
  const [a, b] = await Promise.all([startTestService(t, db.url, ENV), startTestService(t, db.url, ENV)]);
  await Promise.all([a.sync.catchUp(), b.sync.catchUp()]);
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a', 'terr-b']);
  const socket = await TestSocket.open(b.url, '/v1/ws/counter', pharmacist.token);
  t.teardown(() => socket.close());

  const booking = await http(a, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: slots[0], patient: patient(0) } });
  const taken = await socket.waitFor((m) => m.type === 'availability' && m.changes.some((c: { slotId: string }) => c.slotId === slots[0]));
  t.same(taken.changes.find((c: { slotId: string }) => c.slotId === slots[0]), { slotId: slots[0], territory: 'terr-a', available: false }, 'taken on A, pushed on B');
  await http(a, 'POST', `/v1/bookings/${booking.json.booking.id}/cancel`, { token: regulator.token, body: {} });
  await socket.waitFor((m) => m.type === 'availability' && m.changes.some((c: { slotId: string; available: boolean }) => c.slotId === slots[0] && c.available));
  t.pass('freed again: pushed as available');

  // 19 slots blocked in one statement: one message, not 19.
  socket.messages.length = 0;
  await db.db.updateTable('slots').set({ status: 'blocked' }).where('id', 'in', slots.slice(1)).execute();
  await http(a, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: slotB, patient: patient(0) } });
  await socket.waitFor((m) => m.type === 'availability' && m.changes.length >= 19);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const pushes = socket.messages.filter((m) => m.type === 'availability');
  t.equal(pushes.length, 1, 'one coalesced message');
  t.equal(pushes[0].changes.length, 19);
  t.ok(pushes.every((m) => m.changes.every((c: { territory: string }) => c.territory === 'terr-a')), 'nothing of another territory');
});
