// The on-call professional's socket: each booking pushed the moment it is
// committed, on whichever instance, to each of its devices; acknowledged;
// replayed in order after a reconnection, never twice once acked (SPEC §4.5).
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { PATIENT } from './helpers/patients.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

// Timing belongs to the benchmark: a loaded test machine must not shed these requests.
const ENV = { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' };
const patient = { ...PATIENT, age: 34, sex: 'female' as const };

async function book(service: { url: string }, token: string, slotId: string) {
  const response = await http(service, 'POST', '/v1/bookings', { token, headers: { 'idempotency-key': randomUUID() }, body: { slotId, patient } });
  if (response.status !== 201) throw new Error(`booking failed: ${response.status} ${response.text}`);
  return response.json.booking as { id: string; slotId: string };
}

t.test('same instance: both devices get booking.created; an ack from one marks the event and the booking', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const [slot] = await addSlots(db.db, pro, { start: soon(), count: 1 });
  const service = await startTestService(t, db.url, ENV);
  await service.sync.catchUp();
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps);

  const phone = await TestSocket.open(service.url, '/v1/ws/professional', proToken.token);
  const desktop = await TestSocket.open(service.url, '/v1/ws/professional', proToken.token, { query: true });
  t.teardown(async () => { await phone.close(); await desktop.close(); });
  await Promise.all([phone.waitFor((m) => m.type === 'ready'), desktop.waitFor((m) => m.type === 'ready')]);

  const booking = await book(service, regulator.token, slot!);
  const [onPhone, onDesktop] = await Promise.all([
    phone.waitFor((m) => m.type === 'booking.created'), desktop.waitFor((m) => m.type === 'booking.created'),
  ]);
  t.equal(onPhone.eventId, 1, 'the first event of this professional is eventId 1');
  t.same(onDesktop, onPhone, 'both devices got the same message');
  t.equal(onPhone.booking.id, booking.id, 'it is the booking just made');
  t.equal(onPhone.booking.patient.phone, patient.phone, 'with the call-back details');

  const answer = await desktop.request({ id: 'a1', type: 'ack', eventId: onPhone.eventId });
  t.same(answer, { id: 'a1', ok: true, result: { eventId: 1 } });
  const row = await db.db.selectFrom('bookings').select(['acked_at']).where('id', '=', booking.id).executeTakeFirstOrThrow();
  t.ok(row.acked_at instanceof Date, 'bookings.acked_at is set');
  const event = await db.db.selectFrom('events').select(['acked_at']).where('booking_id', '=', booking.id).executeTakeFirstOrThrow();
  t.ok(event.acked_at instanceof Date, 'the event is acked');
  t.same(await phone.request({ id: 'a2', type: 'ack', eventId: 1 }), { id: 'a2', ok: true, result: { eventId: 1 } }, 'acking again from the other device is harmless');
  const unknown = await phone.request({ id: 'a3', type: 'ack', eventId: 99 });
  t.equal(unknown.ok, false);
  t.equal(unknown.error.status, 404, 'an event of nobody else can be acked: unknown is 404');
});

t.test('across instances: booked on A, pushed on B within milliseconds', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const slots = await addSlots(db.db, pro, { start: soon(), count: 5 });
  const [a, b] = await Promise.all([startTestService(t, db.url, ENV), startTestService(t, db.url, ENV)]);
  await Promise.all([a.sync.catchUp(), b.sync.catchUp()]);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps);
  const socket = await TestSocket.open(b.url, '/v1/ws/professional', proToken.token);
  t.teardown(() => socket.close());
  await socket.waitFor((m) => m.type === 'ready');

  const delays: number[] = [];
  for (const [i, slot] of slots.entries()) {
    const booking = await book(a, regulator.token, slot);
    const committed = performance.now();
    const pushed = await socket.waitFor((m) => m.booking?.id === booking.id, 5_000, `booking ${i}`);
    delays.push(performance.now() - committed);
    t.equal(pushed.eventId, i + 1, `booking ${i} is eventId ${i + 1}`);
  }
  t.ok(Math.max(...delays) < 1_000, `every push arrived well under the 1 s backstop (answer-to-socket: ${delays.map((d) => d.toFixed(1)).join(', ')} ms)`);
});

t.test('a booking reaches both instances\' sockets without a read of the outbox; after a gap, in order through the read', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const slots = await addSlots(db.db, pro, { start: soon(), count: 4 });
  // Every outbox pass (the read of new events) pauses 2 s on both instances: a push sooner than
  // that came from what the booking's commit returned (on A) or its hint carried (on B).
  const env = { ...ENV, SNP_DEBUG_SLOWDOWN: 'outbox-pass:2000ms' };
  const [a, b] = await Promise.all([startTestService(t, db.url, env), startTestService(t, db.url, env)]);
  await Promise.all([a.sync.catchUp(), b.sync.catchUp()]);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps);
  const onA = await TestSocket.open(a.url, '/v1/ws/professional', proToken.token);
  const onB = await TestSocket.open(b.url, '/v1/ws/professional', proToken.token);
  t.teardown(async () => { await onA.close(); await onB.close(); });
  await Promise.all([onA.waitFor((m) => m.type === 'ready'), onB.waitFor((m) => m.type === 'ready')]);

  for (const [i, slot] of slots.slice(0, 2).entries()) {
    const booking = await book(a, regulator.token, slot);
    const answered = performance.now();
    const pushed = await Promise.all([onA, onB].map((socket) => socket.waitFor((m) => m.booking?.id === booking.id, 1_500, `booking ${i}`)));
    const ms = performance.now() - answered;
    t.same(pushed.map((m) => m.eventId), [i + 1, i + 1], `booking ${i}: eventId ${i + 1} on both instances, ${ms.toFixed(1)} ms after the answer`);
  }

  // An event written without a hint (the events trigger only says "look"): the next booking's event
  // follows a position neither instance has read, so it waits for the pass and comes after it.
  await db.db.insertInto('events').values({ recipient_kind: 'professional', recipient_id: pro.id, type: 'booking.cancelled', payload: JSON.stringify({ note: 'no hint' }) }).execute();
  const booking = await book(a, regulator.token, slots[2]!);
  for (const [name, socket] of [['A', onA], ['B', onB]] as const) {
    const gap = await socket.waitFor((m) => m.note === 'no hint', 10_000, `the event without a hint on ${name}`);
    const after = await socket.waitFor((m) => m.booking?.id === booking.id, 10_000, `the booking after it on ${name}`);
    t.same([gap.eventId, after.eventId], [3, 4], `${name}: positions 3 then 4, none skipped`);
  }
  const order = onB.events().map((m) => m.eventId);
  t.same(order, [1, 2, 3, 4], 'B received every position once, in order');
});

t.test('an event acked by another device before this instance read it is still pushed live', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const service = await startTestService(t, db.url, ENV);
  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps);
  const socket = await TestSocket.open(service.url, '/v1/ws/professional', proToken.token);
  t.teardown(() => socket.close());
  await socket.waitFor((m) => m.type === 'ready');

  // The race of two devices on two instances, made certain: the event commits already acked
  // (the other device was faster than this instance's feed pass).
  await db.db.insertInto('events').values({
    recipient_kind: 'professional', recipient_id: pro.id, type: 'booking.cancelled', payload: JSON.stringify({ note: 'acked elsewhere' }), acked_at: new Date(),
  }).execute();
  const pushed = await socket.waitFor((m) => m.type === 'booking.cancelled', 5_000, 'the acked event');
  t.equal(pushed.eventId, 1, 'delivered live, with its position');
  t.equal(pushed.note, 'acked elsewhere');
});

t.test('offline during 10 bookings: all 10 replayed in order on reconnect, none again once acked', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const slots = await addSlots(db.db, pro, { start: soon(), count: 12 });
  const [a, b] = await Promise.all([startTestService(t, db.url, ENV), startTestService(t, db.url, ENV)]);
  await Promise.all([a.sync.catchUp(), b.sync.catchUp()]);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps);

  // Online for the first booking, which it acks.
  const first = await TestSocket.open(a.url, '/v1/ws/professional', proToken.token);
  await first.waitFor((m) => m.type === 'ready');
  const b0 = await book(a, regulator.token, slots[0]!);
  const e0 = await first.waitFor((m) => m.booking?.id === b0.id);
  await first.request({ id: 1, type: 'ack', eventId: e0.eventId });
  await first.close();

  // Offline: 10 bookings, alternately through both instances.
  const missed: string[] = [];
  for (let i = 1; i <= 10; i++) missed.push((await book(i % 2 === 0 ? a : b, regulator.token, slots[i]!)).id);

  const again = await TestSocket.open(b.url, `/v1/ws/professional?after=${e0.eventId}`, proToken.token);
  t.teardown(() => again.close());
  const ready = await again.waitFor((m) => m.type === 'ready');
  const replayed = again.events('booking.created');
  t.same(replayed.map((m) => m.booking.id), missed, 'the 10 missed bookings, in booking order, before ready');
  t.same(replayed.map((m) => m.eventId), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 'consecutive event ids');
  t.equal(ready.lastEventId, 11);

  // Ack the first 6; a resume (and a fresh connection without after) replays only the other 4.
  for (const m of replayed.slice(0, 6)) await again.request({ id: `ack-${m.eventId}`, type: 'ack', eventId: m.eventId });
  again.messages.length = 0;
  await again.request({ id: 'r', type: 'resume', after: 0 });
  await again.waitFor((m) => m.type === 'ready');
  t.same(again.events().map((m) => m.eventId), [8, 9, 10, 11], 'resume: only the unacked ones');

  for (const m of replayed.slice(6)) await again.request({ id: `ack-${m.eventId}`, type: 'ack', eventId: m.eventId });
  const fresh = await TestSocket.open(a.url, '/v1/ws/professional', proToken.token);
  t.teardown(() => fresh.close());
  await fresh.waitFor((m) => m.type === 'ready');
  t.same(fresh.events(), [], 'everything acked: nothing replayed');

  // And live pushes go on after a replay.
  const b11 = await book(a, regulator.token, slots[11]!);
  const live = await fresh.waitFor((m) => m.booking?.id === b11.id);
  t.equal(live.eventId, 12);
  t.equal(fresh.events().length, 1, 'exactly one event on the fresh socket');
});

t.test('a device that connects after an event was acked is past it, though this instance\'s feed reads it late', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  // A feed that lags: each pass waits 3 s between reading new events and handing them to the sockets.
  const service = await startTestService(t, db.url, { ...ENV, SNP_DEBUG_SLOWDOWN: 'push:2000ms' });
  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps);
  const event = (note: string, acked: boolean) => db.db.insertInto('events').values({
    recipient_kind: 'professional', recipient_id: pro.id, type: 'booking.cancelled', payload: JSON.stringify({ note }), acked_at: acked ? new Date() : null,
  }).execute();

  // Acked by another device before this one connects; the feed hands it over at least 3 s later.
  await event('acked before', true);
  const fresh = await TestSocket.open(service.url, '/v1/ws/professional', proToken.token);
  t.teardown(() => fresh.close());
  const ready = await fresh.waitFor((m) => m.type === 'ready');
  t.equal(ready.lastEventId, 1, 'ready says it is past the acked event');
  await event('after ready', false);
  const live = await fresh.waitFor((m) => m.note === 'after ready', 15_000, 'the next event');
  t.equal(live.eventId, 2, 'the next event comes live');
  t.same(fresh.events().map((m) => m.eventId), [2], 'the acked event is not sent as new when the feed reaches it');
});

t.test('a cancellation is pushed too; other roles and other professionals are refused at the upgrade', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const [slot] = await addSlots(db.db, pro, { start: soon(), count: 1 });
  const service = await startTestService(t, db.url, ENV);
  await service.sync.catchUp();
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps);
  const socket = await TestSocket.open(service.url, '/v1/ws/professional', proToken.token);
  t.teardown(() => socket.close());
  await socket.waitFor((m) => m.type === 'ready');
  const booking = await book(service, regulator.token, slot!);
  await socket.waitFor((m) => m.type === 'booking.created');
  const cancel = await http(service, 'POST', `/v1/bookings/${booking.id}/cancel`, { token: regulator.token, body: { reason: 'found another slot' } });
  t.equal(cancel.status, 200);
  const cancelled = await socket.waitFor((m) => m.type === 'booking.cancelled');
  t.equal(cancelled.booking.id, booking.id);
  t.equal(cancelled.eventId, 2);

  const refused = await TestSocket.open(service.url, '/v1/ws/professional', regulator.token).catch((e) => e);
  t.equal(refused.status, 403, 'a regulator is refused');
  t.equal(refused.body.type, 'urn:problem:snp-match:forbidden-role', 'with the HTTP problem body');
  const anonymous = await TestSocket.open(service.url, '/v1/ws/professional', '').catch((e) => e);
  t.equal(anonymous.status, 401, 'no token: 401');
  const badAfter = await TestSocket.open(service.url, '/v1/ws/professional?after=minus-one', proToken.token).catch((e) => e);
  t.equal(badAfter.status, 400, 'a bad ?after= is a 400');
});
