// Holds: a slot reserved for the territory's time-to-live, released by its
// owner only, and free again by itself when it expires, even when no process
// of ours ran in between (the expiry is a comparison with now() in PostgreSQL).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { PATIENT } from './helpers/patients.js';
import { http, matchIds, startTestService } from './helpers/service.js';

const patient = PATIENT;

t.test('an expired hold frees its slot with the service stopped in between', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1, holdTtlSeconds: 10 });
  const [slot, next] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 2 });
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);

  const first = await startTestService(t, db.url);
  await first.sync.catchUp();
  const hold = await http(first, 'POST', '/v1/holds', { token: regulator.token, body: { slotId: slot } });
  t.equal(hold.status, 201, 'held', { body: hold.json });
  t.match(hold.json.hold, { slotId: slot, expiresAt: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/ });
  const ttl = Date.parse(hold.json.hold.expiresAt) - Date.now();
  t.ok(ttl > 7_000 && ttl <= 11_000, `expires in the territory's 10 s (${ttl} ms)`);
  await first.sync.catchUp();
  t.notOk((await matchIds(first, pharmacist.token)).includes(slot!), 'a held slot is not matchable');

  const taken = await http(first, 'POST', '/v1/bookings', { token: pharmacist.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: slot, patient } });
  t.equal(taken.status, 409, 'someone else cannot book a held slot');
  t.equal(taken.json.reason, 'held');
  t.same(taken.json.alternatives.map((c: { slot: { id: string } }) => c.slot.id), [next], 'the next best slot is offered');
  t.equal((await http(first, 'POST', '/v1/holds', { token: pharmacist.token, body: { slotId: slot } })).status, 409, 'nor hold it');

  await first.close();
  // Wait for PostgreSQL's clock (the one that decides) to pass the hold's end.
  const { wait } = (await sql<{ wait: number }>`select greatest(0, extract(epoch from held_until - now()) * 1000)::float8 as wait from slots where id = ${slot}`.execute(db.db)).rows[0]!;
  await new Promise((resolve) => setTimeout(resolve, wait + 200));

  const second = await startTestService(t, db.url);
  await second.sync.catchUp();
  const row = await db.db.selectFrom('slots').select(['status', 'held_until']).where('id', '=', slot!).executeTakeFirstOrThrow();
  t.equal(row.status, 'held', 'nothing tidied the row in between (the sweeper waits 10 minutes)');
  t.ok(await matchIds(second, pharmacist.token).then((ids) => ids.includes(slot!)), 'yet the slot is matchable again');
  const booked = await http(second, 'POST', '/v1/bookings', { token: pharmacist.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: slot, patient } });
  t.equal(booked.status, 201, 'and bookable by anyone');
  const late = await http(second, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { holdId: hold.json.hold.id, patient } });
  t.equal(late.status, 409, 'the expired hold\'s owner lost it');
  t.equal(late.json.reason, 'booked');
});

t.test('release, book from a hold, and owner-only access', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const [s1, s2, s3] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 3 });
  const service = await startTestService(t, db.url);
  await service.sync.catchUp();
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const other = await tokenFor(db.db, 'regulator', ['terr-a']);

  const placed = await http(service, 'POST', '/v1/holds', { token: regulator.token, body: { slotId: s1 } });
  t.equal(placed.status, 201, 'held', { body: placed.json });
  const h1 = placed.json.hold;
  t.equal((await http(service, 'DELETE', `/v1/holds/${h1.id}`, { token: other.token })).status, 404, 'another client cannot release it (and learns nothing)');
  t.equal((await http(service, 'DELETE', `/v1/holds/${h1.id}`, { token: regulator.token })).status, 204, 'its owner can');
  t.equal((await http(service, 'POST', `/v1/holds/${h1.id}/release`, { token: regulator.token })).status, 204, 'releasing twice is harmless');
  const freed = await db.db.selectFrom('slots').select(['status', 'held_until']).where('id', '=', s1!).executeTakeFirstOrThrow();
  t.same(freed, { status: 'free', held_until: null }, 'the slot is free at once');
  const afterRelease = await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { holdId: h1.id, patient } });
  t.equal(afterRelease.status, 409, 'a released hold cannot be booked');
  t.equal(afterRelease.json.errors[0].field, 'body.holdId');

  const h2 = (await http(service, 'POST', '/v1/holds', { token: regulator.token, body: { slotId: s2 } })).json.hold;
  const stolen = await http(service, 'POST', '/v1/bookings', { token: other.token, headers: { 'idempotency-key': randomUUID() }, body: { holdId: h2.id, patient } });
  t.equal(stolen.status, 404, 'another client cannot book from someone else\'s hold');
  const fromHold = await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { holdId: h2.id, patient } });
  t.equal(fromHold.status, 201, 'the owner books from its hold');
  t.equal(fromHold.json.booking.slotId, s2);
  const holdRow = await db.db.selectFrom('holds').select(['booked_at']).where('id', '=', h2.id).executeTakeFirstOrThrow();
  t.ok(holdRow.booked_at, 'the hold is marked used');
  const bookingRow = await db.db.selectFrom('bookings').select(['hold_id']).where('id', '=', fromHold.json.booking.id).executeTakeFirstOrThrow();
  t.equal(bookingRow.hold_id, h2.id, 'and linked to the booking');
  t.equal((await http(service, 'DELETE', `/v1/holds/${h2.id}`, { token: regulator.token })).status, 409, 'a used hold cannot be released');

  // Holding a slot, then booking it by its id, also works for the holder.
  await http(service, 'POST', '/v1/holds', { token: regulator.token, body: { slotId: s3 } });
  const byId = await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: s3, patient } });
  t.equal(byId.status, 201, 'the holder may book its held slot by slot id');

  const audit = await db.db.selectFrom('audit_log').select('action').where('entity', '=', 'hold').orderBy('id').execute();
  t.same(audit.map((a) => a.action), ['hold.create', 'hold.release', 'hold.create', 'hold.create'], 'holds are audited');
});

t.test('bad hold requests are 4xx naming the field', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const cases: [unknown, number, string][] = [
    [{}, 400, 'body.slotId'],
    [{ slotId: 'nope' }, 400, 'body.slotId'],
    [{ slotId: randomUUID(), extra: 1 }, 400, 'body.extra'],
    [{ slotId: randomUUID() }, 404, 'body.slotId'],
    [{ slotId: randomUUID(), requestId: randomUUID() }, 400, 'body.requestId'],
  ];
  for (const [body, status, field] of cases) {
    const answer = await http(service, 'POST', '/v1/holds', { token: regulator.token, body });
    t.equal(answer.status, status, JSON.stringify(body));
    t.match(answer.headers.get('content-type'), /application\/problem\+json/);
    t.equal(answer.json.errors?.[0]?.field, field, `names ${field}`);
  }
});
