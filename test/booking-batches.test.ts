// Concurrent bookings share one statement and one commit (src/db/booking-batches.ts),
// and each keeps the outcome it would have had alone. Bookings handed to the
// store in one turn of the event loop go in one batch, so these tests know
// what shared a transaction: the rows' xmin says so.
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import t, { type Test } from 'tap';
import { batchedSlotClaims } from '../src/db/booking-batches.js';
import { isDatabaseUnavailable } from '../src/db/unavailable.js';
import type { BookSlotParams, BookSlotResult } from '../src/usecases/slot-claims.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';

type Db = Awaited<ReturnType<typeof migratedDatabase>>;

async function setUp(t: Test) {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const start = soon();
  const ids = [...await addSlots(db.db, w.a.pros[0]!, { start, count: 6 }), ...await addSlots(db.db, w.a.pros[1]!, { start, count: 6 })];
  const slots = await db.db.selectFrom('slots').select(['id', 'professional_id', 'starts_at']).where('id', 'in', ids).execute();
  const byId = new Map(slots.map((s) => [s.id, s]));
  const client = await tokenFor(db.db, 'regulator', ['terr-a']);
  const params = (slotId: string, extra: Partial<BookSlotParams> = {}): BookSlotParams => {
    const slot = byId.get(slotId)!;
    const key = randomUUID();
    return {
      slotId, clientId: client.id, territories: ['terr-a'], bookingId: randomUUID(), requestId: null, holdId: null,
      patient: { name: 'J. D.', phone: '+33 6 12 34 56 78' }, idempotencyKey: key, requestHash: createHash('sha256').update(key).digest(),
      eventPayload: { slotId }, auditDetails: { slotId }, traceId: null, responseBody: { slotId },
      professionalId: slot.professional_id, start: new Date(slot.starts_at).getTime(), deferNotify: true, ...extra,
    };
  };
  return { db, ids, params };
}

/** The transactions that wrote these bookings (their rows' xmin). */
async function transactionsOf(db: Db, bookingIds: string[]): Promise<number> {
  const row = await sql<{ n: number }>`select count(distinct xmin::text)::int as n from bookings where id = any(${bookingIds}::uuid[])`.execute(db.db);
  return row.rows[0]!.n;
}

const bookedIds = (all: BookSlotParams[], results: BookSlotResult[]) => all.filter((_, i) => results[i]!.outcome === 'booked').map((p) => p.bookingId);

t.test('bookings of one turn share a statement; each gets its own outcome; everything a booking writes is there', async (t) => {
  const { db, ids, params } = await setUp(t);
  const statements: number[] = [];
  const store = batchedSlotClaims(db.pool, 32, (n) => statements.push(n));
  const all = [
    ...ids.slice(0, 8).map((id) => params(id)),
    params(ids[0]!), params(ids[0]!), // two more reaching for the first slot
    params(ids[8]!, { start: Date.now() + 86_400_000 }), // not the slot the answer was computed from
    params(ids[9]!, { territories: ['terr-b'] }), // a territory the slot is not offered in
  ];
  const results = await Promise.all(all.map((p) => store.book(p)));
  const outcomes = results.map((r) => r.outcome);
  t.same(outcomes.slice(1, 8), Array(7).fill('booked'), 'seven distinct slots are booked');
  t.same([outcomes[0], outcomes[8], outcomes[9]].sort(), ['booked', 'not-claimed', 'not-claimed'], 'of three reaching for the first slot, one has it (the UPDATE takes it for one of them)');
  t.same(outcomes.slice(10), ['not-claimed', 'not-claimed'], 'the wrong start and the wrong territory are not claimed');
  const booked = bookedIds(all, results);
  t.equal(await transactionsOf(db, booked), 1, 'all eight in one transaction');
  t.same(statements, [12], 'one statement carried the twelve (the metric is told so)');
  for (const [i, r] of results.entries()) if (r.outcome === 'booked' && !(r.changeSeq > 0)) t.fail(`booking ${i} has no change sequence`);

  const count = async (query: Promise<{ n: number }[]>) => (await query)[0]!.n;
  t.equal(await count(sql<{ n: number }>`select count(*)::int as n from bookings`.execute(db.db).then((r) => r.rows)), 8, 'eight bookings');
  t.equal(await count(sql<{ n: number }>`select count(*)::int as n from slots where status = 'booked'`.execute(db.db).then((r) => r.rows)), 8, 'eight booked slots');
  for (const table of ['events', 'audit_log', 'idempotency_keys', 'sas_deliveries'] as const) {
    t.equal(await count(sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db.db).then((r) => r.rows)), 8, `one ${table} row a booking`);
  }
  const patients = await db.db.selectFrom('bookings').select('patient').execute();
  t.ok(patients.every((b) => (b.patient as { name?: string } | null)?.name === 'J. D.'), 'each booking carries its patient');
  // Each professional's stream numbered 1..n without a gap, in one transaction.
  const streams = await sql<{ recipient_id: string; seqs: number[] }>`
    select recipient_id, array_agg(seq order by seq)::int[] as seqs from events group by recipient_id`.execute(db.db);
  t.same(streams.rows.map((s) => s.seqs).sort((a, b) => a.length - b.length), [[1, 2, 3, 4, 5, 6], [1, 2]].sort((a, b) => a.length - b.length), 'streams numbered without gaps');
  const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log a join bookings b on a.entity_id = b.id::text where a.action = 'booking.create'`.execute(db.db);
  t.equal(audit.rows[0]!.n, 8, 'each audit row names its booking');
});

t.test('a batch that fails as a whole is retried booking by booking, each with its precise outcome', async (t) => {
  const { db, ids, params } = await setUp(t);
  const statements: number[] = [];
  const store = batchedSlotClaims(db.pool, 32, (n) => statements.push(n));
  const first = params(ids[0]!);
  const all = [
    first,
    params(ids[1]!, { idempotencyKey: first.idempotencyKey }), // the same key, committed by the other: key-taken
    params(ids[2]!, { requestId: randomUUID() }), // a request that does not exist
    params(ids[3]!),
    params(ids[4]!),
  ];
  const results = await Promise.all(all.map((p) => store.book(p)));
  const outcomes = results.map((r) => r.outcome);
  t.same([...outcomes.slice(0, 2)].sort(), ['booked', 'key-taken'], 'one of the two with one key is booked, the other told the key is taken');
  t.same(outcomes.slice(2), ['unknown-request', 'booked', 'booked'], 'the unknown request is named; the others are booked');
  t.equal(await transactionsOf(db, bookedIds(all, results)), 3, 'each booked alone after the batch failed');
  t.same(statements, [5, 1, 1, 1, 1, 1], 'the batch of five, then five statements of one');
  const rows = await sql<{ n: number }>`select count(*)::int as n from bookings`.execute(db.db);
  t.equal(rows.rows[0]!.n, 3, 'nothing of the failed batch was kept');
});

t.test('BOOKING_BATCH_MAX 1: each booking alone', async (t) => {
  const { db, ids, params } = await setUp(t);
  const store = batchedSlotClaims(db.pool, 1);
  const all = ids.slice(0, 4).map((id) => params(id));
  const results = await Promise.all(all.map((p) => store.book(p)));
  t.same(results.map((r) => r.outcome), Array(4).fill('booked'));
  t.equal(await transactionsOf(db, bookedIds(all, results)), 4, 'four transactions');
});

t.test('batches stay under their maximum size', async (t) => {
  const { db, ids, params } = await setUp(t);
  const store = batchedSlotClaims(db.pool, 3);
  const all = ids.slice(0, 12).map((id) => params(id));
  const results = await Promise.all(all.map((p) => store.book(p)));
  t.same(results.map((r) => r.outcome), Array(12).fill('booked'));
  const sizes = await sql<{ n: number }>`select count(*)::int as n from bookings group by xmin::text order by 1`.execute(db.db);
  t.ok(sizes.rows.every((r) => r.n <= 3), `no transaction wrote more than 3 bookings (${sizes.rows.map((r) => r.n).join(', ')})`);
  t.ok(sizes.rows.length <= 6 && sizes.rows.some((r) => r.n > 1), 'and they were batched');
});

t.test('a batch numbers its events after what each stream holds and writes each SAS delivery row once, as the triggers do for a booking alone', async (t) => {
  const { db, ids, params } = await setUp(t);
  const alone = batchedSlotClaims(db.pool, 1);
  const batched = batchedSlotClaims(db.pool, 32);
  // The FHIR transport's pool (src/db/fhir-channel.ts): its bookings' deliveries are skipped.
  const fhirPool = new pg.Pool({ connectionString: db.url, max: 2, application_name: 'snp-match:fhir' });
  t.teardown(() => fhirPool.end());
  const viaFhir = batchedSlotClaims(fhirPool, 32);
  const book = async (store: typeof alone, slots: string[]) => {
    const all = slots.map((id) => params(id));
    const results = await Promise.all(all.map((p) => store.book(p)));
    t.same(results.map((r) => r.outcome), slots.map(() => 'booked'));
    return transactionsOf(db, all.map((p) => p.bookingId));
  };
  // ids 0-5: the first professional's slots, 6-11 the second's.
  await book(alone, [ids[0]!]); // first professional: seq 1, by the trigger
  // One batch: 2-4, and 1-2 for the second. Committed as one (a batch that failed would be retried alone, through the triggers).
  t.equal(await book(batched, [ids[1]!, ids[2]!, ids[6]!, ids[3]!, ids[7]!]), 1, 'the batch committed as one statement');
  await book(alone, [ids[4]!]); // 5, by the trigger, after the batch's numbers
  t.equal(await book(viaFhir, [ids[5]!, ids[8]!]), 1, 'a batch again: 6, and 3');
  const streams = await sql<{ seqs: number[]; n: number }>`
    select array_agg(seq order by id)::int[] as seqs, count(distinct xmin::text)::int as n from events group by recipient_id order by count(*) desc`.execute(db.db);
  t.same(streams.rows.map((r) => r.seqs), [[1, 2, 3, 4, 5, 6], [1, 2, 3]], 'each stream numbered 1..n without a gap, in the order the events were written');
  const last = await sql<{ last_seq: number }>`select last_seq::int from event_streams order by last_seq desc`.execute(db.db);
  t.same(last.rows.map((r) => r.last_seq), [6, 3], 'the streams\' counters agree');
  const deliveries = await sql<{ status: string; state: string; n: number }>`
    select d.status, d.state, count(*)::int as n from sas_deliveries d join events e on e.id = d.event_id and e.booking_id = d.booking_id
     group by d.status, d.state order by d.status`.execute(db.db);
  t.same(deliveries.rows, [{ status: 'pending', state: 'booked', n: 7 }, { status: 'skipped', state: 'booked', n: 2 }], 'one delivery row an event, skipped for the FHIR transport\'s');
  const setting = await sql<{ v: string | null }>`select current_setting('snp.sas_deliveries_written', true) as v`.execute(db.db);
  t.not(setting.rows[0]!.v, 'on', 'the batch\'s setting ended with its transaction');
});

t.test('a slot locked by another open transaction holds its batch up briefly, then the others are booked one by one', async (t) => {
  const { db, ids, params } = await setUp(t);
  const store = batchedSlotClaims(db.pool, 32);
  const blocker = await db.pool.connect();
  let released = false;
  t.teardown(async () => {
    if (!released) await blocker.query('rollback');
    blocker.release();
  });
  await blocker.query('begin');
  await blocker.query('select 1 from slots where id = $1 for update', [ids[0]]);
  const all = [params(ids[0]!), params(ids[1]!), params(ids[2]!)];
  const pending = all.map((p) => store.book(p));
  const others = await Promise.race([
    Promise.all(pending.slice(1)),
    new Promise<'stuck'>((resolve) => { const timer = setTimeout(() => resolve('stuck'), 5_000); t.teardown(() => clearTimeout(timer)); }),
  ]);
  t.not(others, 'stuck', 'the two free slots are booked while the third is still locked');
  if (others !== 'stuck') t.same(others.map((r) => r.outcome), ['booked', 'booked']);
  await blocker.query('rollback');
  released = true;
  t.equal((await pending[0]!).outcome, 'booked', 'the locked one is booked once the lock is gone');
  t.equal(await transactionsOf(db, all.map((p) => p.bookingId)), 3, 'each alone, after the batch gave up waiting');
});

t.test('while both batches in flight are stuck, a queued booking is shed after the pool wait, as a 503', async (t) => {
  const { db, ids, params } = await setUp(t);
  const pool = new pg.Pool({ connectionString: db.url, max: 5, connectionTimeoutMillis: 400 });
  t.teardown(() => pool.end());
  const store = batchedSlotClaims(pool, 32);
  const blocker = await db.pool.connect();
  await blocker.query('begin');
  await blocker.query('select 1 from slots where id = $1 for update', [ids[0]]);
  // Two turns, one booking each: both go alone and wait for the locked slot, filling both places.
  const stuck = [store.book(params(ids[0]!))];
  await new Promise((resolve) => setImmediate(resolve));
  stuck.push(store.book(params(ids[0]!)));
  await new Promise((resolve) => setImmediate(resolve));
  const started = Date.now();
  const shed = await store.book(params(ids[1]!)).then(() => 'booked', (error: unknown) => error);
  t.ok(isDatabaseUnavailable(shed), `the queued booking is refused as the database being unavailable (${String(shed)})`);
  t.ok(Date.now() - started >= 350, 'after about the pool wait');
  await blocker.query('rollback');
  blocker.release();
  t.same((await Promise.all(stuck)).map((r) => r.outcome).sort(), ['booked', 'not-claimed'], 'the two stuck ones finish once the lock is gone');
  const rows = await sql<{ n: number }>`select count(*)::int as n from bookings where slot_id = ${ids[1]}::uuid`.execute(db.db);
  t.equal(rows.rows[0]!.n, 0, 'the shed booking was never made');
});
