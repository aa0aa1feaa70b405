// Two requesters reaching for one slot never both get it, on any number of
// instances; a retried request never books twice (SPEC §4.4, §5).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addProfessional, addSlots, COMMUNES, soon, tokenFor, world } from './helpers/fixtures.js';
import { nthPatient } from './helpers/patients.js';
import { http, startTestService } from './helpers/service.js';

const patient = (i: number) => ({ ...nthPatient(i), age: 40 + (i % 30), sex: 'female' as const });

t.test('200 concurrent attempts on 20 slots over two instances: exactly 20 bookings, 180 clean 409s', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const start = soon();
  const targets = [
    ...await addSlots(db.db, w.a.pros[0]!, { start, count: 10 }),
    ...await addSlots(db.db, w.a.pros[1]!, { start, count: 10 }),
  ];
  // Never aimed at: there is always a next best slot to offer the losers.
  const spare = await addProfessional(db.db, { territoryId: 'terr-a', commune: COMMUNES.venissieux });
  await addSlots(db.db, spare, { start: start + 3_600_000 * 6, count: 10 });

  const [one, two] = await Promise.all([startTestService(t, db.url), startTestService(t, db.url)]);
  await Promise.all([one.sync.catchUp(), two.sync.catchUp()]);
  const clients = await Promise.all([
    tokenFor(db.db, 'regulator', ['terr-a']), tokenFor(db.db, 'pharmacist', ['terr-a']),
    tokenFor(db.db, 'regulator', ['terr-a', 'terr-b']), tokenFor(db.db, 'coordinator', ['terr-a']),
  ]);

  const attempts = Array.from({ length: 200 }, (_, i) => ({ slotId: targets[i % 20]!, client: clients[i % 4]!, service: i % 2 === 0 ? one : two, i }));
  const answers = await Promise.all(attempts.map((a) => http(a.service, 'POST', '/v1/bookings', {
    token: a.client.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: a.slotId, patient: patient(a.i) },
  }).then((response) => ({ ...a, response }))));

  const won = answers.filter((a) => a.response.status === 201);
  const lost = answers.filter((a) => a.response.status === 409);
  t.equal(won.length, 20, 'exactly 20 bookings');
  t.equal(lost.length, 180, 'exactly 180 conflicts');
  t.same(new Set(won.map((a) => a.response.json.booking.slotId)), new Set(targets), 'one winner per slot');
  t.ok(won.some((a) => a.service === one) && won.some((a) => a.service === two), 'both instances booked some');
  for (const a of lost) {
    const body = a.response.json;
    if (!(a.response.headers.get('content-type')?.startsWith('application/problem+json') && body.type === 'urn:problem:snp-match:slot-unavailable'
      && body.status === 409 && body.slotId === a.slotId && ['booked', 'held'].includes(body.reason)
      && Array.isArray(body.alternatives) && body.alternatives.length > 0
      && body.alternatives.every((c: { slot: { id: string } }) => c.slot.id !== a.slotId))) {
      t.fail('a loser got something other than a clean 409 with alternatives', { body });
      break;
    }
  }
  t.pass('every loser got problem+json 409 naming the slot, with alternatives that exclude it');

  // PostgreSQL agrees.
  const live = await db.db.selectFrom('bookings').select(sql<number>`count(*)::int`.as('n')).where('status', '<>', 'cancelled').executeTakeFirstOrThrow();
  t.equal(live.n, 20, '20 live bookings in the database');
  const doubles = await db.db.selectFrom('bookings').select('slot_id').where('status', '<>', 'cancelled').groupBy('slot_id').having(sql`count(*)`, '>', 1).execute();
  t.equal(doubles.length, 0, 'no slot with two live bookings');
  const booked = await db.db.selectFrom('slots').select(sql<number>`count(*)::int`.as('n')).where('status', '=', 'booked').executeTakeFirstOrThrow();
  t.equal(booked.n, 20, '20 slots booked');
  const events = await db.db.selectFrom('events').select(sql<number>`count(*)::int`.as('n')).where('type', '=', 'booking.created').executeTakeFirstOrThrow();
  t.equal(events.n, 20, 'one outbox event per booking');
  const audits = await db.db.selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).where('action', '=', 'booking.create').executeTakeFirstOrThrow();
  t.equal(audits.n, 20, 'one audit row per booking');
  const keys = await db.db.selectFrom('idempotency_keys').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  t.equal(keys.n, 20, 'only successful answers are stored for replay');
});

t.test('the same request sent 50 times at once books once and answers 50 times the same', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const [slot, other] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 2 });
  const [one, two] = await Promise.all([startTestService(t, db.url), startTestService(t, db.url)]);
  await Promise.all([one.sync.catchUp(), two.sync.catchUp()]);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const key = randomUUID();
  const body = { slotId: slot, patient: patient(1) };

  const answers = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    http(i % 2 === 0 ? one : two, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': key }, body })));
  t.same(answers.map((a) => a.status), Array(50).fill(201), '50 × 201');
  t.equal(new Set(answers.map((a) => a.text)).size, 1, '50 identical bodies');
  t.equal(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true').length, 49, '49 of them replays');
  const bookings = await db.db.selectFrom('bookings').select('id').execute();
  t.equal(bookings.length, 1, 'one booking in the database');
  t.equal(bookings[0]!.id, answers[0]!.json.booking.id);
  const events = await db.db.selectFrom('events').select('id').execute();
  t.equal(events.length, 1, 'one outbox event');

  // Key order in the body does not matter: the same request, written differently.
  const reordered = await http(one, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': key }, body: { patient: { sex: 'female', age: 41, phone: '+33 6 00 00 00 00', name: 'P1' }, slotId: slot } });
  t.equal(reordered.status, 201);
  t.equal(reordered.text, answers[0]!.text, 'a later replay is the same answer');

  const otherBody = await http(two, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': key }, body: { slotId: other, patient: patient(1) } });
  t.equal(otherBody.status, 422, 'same key, another body: 422');
  t.match(otherBody.headers.get('content-type'), /application\/problem\+json/);
  t.equal(otherBody.json.errors[0].field, 'headers.idempotency-key', 'the problem names the header');
  const stillFree = await db.db.selectFrom('slots').select('status').where('id', '=', other!).executeTakeFirstOrThrow();
  t.equal(stillFree.status, 'free', 'and it booked nothing');

  // Another client may use the same key: keys are scoped per client.
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const theirs = await http(one, 'POST', '/v1/bookings', { token: pharmacist.token, headers: { 'idempotency-key': key }, body: { slotId: other, patient: patient(2) } });
  t.equal(theirs.status, 201, 'keys are per client');
});

t.test('same key, other body, in flight at the same moment: one booking and one 422', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const slots = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 10 });
  const service = await startTestService(t, db.url);
  await service.sync.catchUp();
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const key = randomUUID();
  const answers = await Promise.all(slots.map((slotId, i) => http(service, 'POST', '/v1/bookings', {
    token: regulator.token, headers: { 'idempotency-key': key }, body: { slotId, patient: patient(i) },
  })));
  t.equal(answers.filter((a) => a.status === 201).length, 1, 'one booking');
  t.equal(answers.filter((a) => a.status === 422).length, 9, 'the others are 422');
  const bookings = await db.db.selectFrom('bookings').select('id').execute();
  t.equal(bookings.length, 1, 'one booking in the database');
});

t.test('a hold or booking on one instance leaves every index at once, though it NOTIFYs after commit', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const [held, booked] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 2 });
  const [one, two] = await Promise.all([startTestService(t, db.url), startTestService(t, db.url)]);
  await Promise.all([one.sync.catchUp(), two.sync.catchUp()]);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  // Well under the 5 s backstop pass: only the hint can explain it.
  const gone = (slotId: string) => new Promise<number>((resolve, reject) => {
    const started = performance.now();
    const timer = setTimeout(() => { off(); reject(new Error(`slot ${slotId} still in the other index after 2 s`)); }, 2_000);
    const off = two.sync.onChange((change) => {
      if (change.slotId === slotId && !change.available) { clearTimeout(timer); off(); resolve(performance.now() - started); }
    });
  });
  const holdGone = gone(held!);
  t.equal((await http(one, 'POST', '/v1/holds', { token: regulator.token, body: { slotId: held } })).status, 201);
  t.ok(await holdGone < 2_000, 'the held slot left the other instance\'s index');
  const bookingGone = gone(booked!);
  t.equal((await http(one, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: booked, patient: patient(1) } })).status, 201);
  t.ok(await bookingGone < 2_000, 'the booked slot left the other instance\'s index');
});
