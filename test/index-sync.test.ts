// The index follows PostgreSQL: after any sequence of writes, with notifications
// lost and the LISTEN connection killed, the index equals the open slots in the database.
import fc from 'fast-check';
import { sql } from 'kysely';
import pino from 'pino';
import t, { type Test } from 'tap';
import { rppsFromPrefix } from '../src/core/rpps.js';
import { SlotIndex } from '../src/core/index/index.js';
import { INDEX_WINDOW_MS, IndexSync } from '../src/db/sync/index-sync.js';
import { streamOpenSlots } from '../src/db/sync/slot-rows.js';
import { Notifier } from '../src/db/notifications/notifier.js';
import { openPool } from '../src/db/database.js';
import { SlotChangeHint } from '../src/db/slot-change-hint.js';
import { migratedDatabase } from './helpers/database.js';

const HOUR = 3_600_000;
type Db = Awaited<ReturnType<typeof migratedDatabase>>;

async function fixture(db: Db['db'], professionals = 4) {
  await db.insertInto('territories').values({ id: 'sync-test', name: 'Sync', time_zone: 'Europe/Paris', organisation_identifier: null }).execute();
  await db.insertInto('communes').values({ code: '69259', name: 'Vénissieux', population: 65_000, lat: 45.697, lon: 4.886 }).execute();
  const pros: { id: string; site: string }[] = [];
  for (let i = 0; i < professionals; i++) {
    const p = await db.insertInto('professionals').values({ rpps: rppsFromPrefix(`190000000${i}`), territory_id: 'sync-test', family_name: `P${i}`, given_name: 'Q', profession: i % 2 === 0 ? 'gp' : 'nurse', skills: ['sutures'] }).returning('id').executeTakeFirstOrThrow();
    const s = await db.insertInto('sites').values({ professional_id: p.id, commune_code: '69259', label: null, address: null, lat: 45.7, lon: 4.88 }).returning('id').executeTakeFirstOrThrow();
    pros.push({ id: p.id, site: s.id });
  }
  return pros;
}

function startSync(t: Test, handle: Db, backstopMs = 60_000) {
  const index = new SlotIndex();
  const notifier = new Notifier({ url: handle.url, heartbeatMs: 1_000 });
  const sync = new IndexSync({ notifier, pool: handle.pool, index, logger: pino({ level: 'silent' }), backstopMs });
  t.teardown(async () => { await sync.stop(); await notifier.stop(); });
  return { index, sync };
}

/** The open slots of the index window, as PostgreSQL sees them. */
async function openSlotIds(db: Db['db']): Promise<string[]> {
  const rows = await sql<{ id: string }>`select id from slots
    where (status = 'free' or (status = 'held' and held_until <= now()))
      and starts_at >= now() and starts_at < now() + ${`${INDEX_WINDOW_MS} milliseconds`}::interval order by id`.execute(db);
  return rows.rows.map((r) => r.id);
}

const indexIds = (index: SlotIndex) => [...index.values()].map((s) => s.id).sort();

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

const operation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), pro: fc.nat(3), slotOfDay: fc.nat(260), status: fc.constantFrom('free', 'free', 'blocked', 'booked') }),
  fc.record({ kind: fc.constant('status' as const), pick: fc.nat(), status: fc.constantFrom('free', 'booked', 'blocked', 'held-live', 'held-expired') }),
  fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), slotOfDay: fc.nat(260) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('mute' as const), on: fc.boolean() }),
  fc.record({ kind: fc.constant('kill-listener' as const) }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

// Slots fall on a 20-minute grid from 50 minutes ago to 86 hours ahead: some in
// the past, most in the window (INDEX_WINDOW_MS, 74 h), some beyond it. The grid
// is offset by half a step so that no slot starts within 10 minutes of either
// edge of the window: the index fixes its edge at its load and moves it once a
// minute, the oracle below reads now() at each check, so a slot starting right
// at base + 74 h (slotOfDay 225 on an unshifted grid) was in one and not the
// other for the first minute (a quarter of the runs failed on it).
const startOf = (base: number, slotOfDay: number) => new Date(base - HOUR + 10 * 60_000 + slotOfDay * 20 * 60_000);

async function run(handle: Db, sync: IndexSync, pros: { id: string; site: string }[], ops: Operation[], base: number) {
  const { db } = handle;
  for (const op of ops) {
    const ids = (await db.selectFrom('slots').select('id').orderBy('id').execute()).map((r) => r.id);
    const pick = (n: number) => ids[n % Math.max(ids.length, 1)];
    switch (op.kind) {
      case 'insert': {
        const pro = pros[op.pro % pros.length]!;
        const start = startOf(base, op.slotOfDay);
        await db.insertInto('slots').values({ professional_id: pro.id, site_id: pro.site, territory_id: 'sync-test', band_id: null, starts_at: start, ends_at: new Date(start.getTime() + 20 * 60_000), modality: 'office', status: op.status as 'free' }).onConflict((oc) => oc.doNothing()).execute();
        break;
      }
      case 'status': {
        const id = pick(op.pick);
        if (id === undefined) break;
        const held = op.status.startsWith('held');
        await db.updateTable('slots').set({
          status: held ? 'held' : op.status as 'free',
          held_until: held ? sql`now() + ${op.status === 'held-live' ? '1 hour' : '-1 second'}::interval` as never : null,
        }).where('id', '=', id).execute();
        break;
      }
      case 'move': {
        const id = pick(op.pick);
        if (id === undefined) break;
        const start = startOf(base, op.slotOfDay);
        await db.updateTable('slots').set({ starts_at: start, ends_at: new Date(start.getTime() + 20 * 60_000) }).where('id', '=', id).execute().catch(() => {}); // an overlap is refused: fine
        break;
      }
      case 'delete': {
        const id = pick(op.pick);
        if (id !== undefined) await db.deleteFrom('slots').where('id', '=', id).execute();
        break;
      }
      case 'mute':
        // Writes made while the trigger is off send no notification at all.
        await sql.raw(`alter table slots ${op.on ? 'disable' : 'enable'} trigger slots_notify`).execute(db);
        break;
      case 'kill-listener': {
        const pid = sync.listenerBackendPid;
        if (pid !== null) await sql`select pg_terminate_backend(${pid})`.execute(db);
        break;
      }
    }
  }
  await sql.raw('alter table slots enable trigger slots_notify').execute(db);
}

t.test('after random writes, lost notifications and a killed listener, the index equals PostgreSQL', async (t) => {
  const handle = await migratedDatabase(t);
  const pros = await fixture(handle.db);
  const { index, sync } = startSync(t, handle);
  await sync.start();
  const base = Date.now();
  await fc.assert(fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), async (ops) => {
    await run(handle, sync, pros, ops, base);
    // Reconnection after a kill is asynchronous; catch-up itself is what must be exact.
    await eventually(async () => sync.isListenerConnected);
    await sync.catchUp();
    const expected = await openSlotIds(handle.db);
    const actual = indexIds(index);
    // Throwing (not only asserting) lets fast-check shrink a failure to its smallest case.
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw new Error(`index ${JSON.stringify(actual)} != PostgreSQL ${JSON.stringify(expected)}`);
    }
  }), { numRuns: 25 });
  t.pass('25 random runs: the index equalled PostgreSQL after each');
});

t.test('a write made without any notification is picked up by the periodic pass', async (t) => {
  const handle = await migratedDatabase(t);
  const [pro] = await fixture(handle.db, 1);
  const { index, sync } = startSync(t, handle, 200);
  await sync.start();
  await sql.raw('alter table slots disable trigger slots_notify').execute(handle.db);
  const start = new Date(Date.now() + 2 * HOUR);
  const slot = await handle.db.insertInto('slots').values({ professional_id: pro!.id, site_id: pro!.site, territory_id: 'sync-test', band_id: null, starts_at: start, ends_at: new Date(start.getTime() + 20 * 60_000), modality: 'office' }).returning('id').executeTakeFirstOrThrow();
  t.ok(await eventually(async () => index.get(slot.id) !== undefined), 'the backstop found it');
});

t.test('a killed LISTEN connection reconnects and catches up on what happened meanwhile', async (t) => {
  const handle = await migratedDatabase(t);
  const [pro] = await fixture(handle.db, 1);
  const { index, sync } = startSync(t, handle);
  await sync.start();
  const pid = sync.listenerBackendPid;
  t.ok(pid !== null);
  await sql`select pg_terminate_backend(${pid})`.execute(handle.db);
  const start = new Date(Date.now() + 3 * HOUR);
  const slot = await handle.db.insertInto('slots').values({ professional_id: pro!.id, site_id: pro!.site, territory_id: 'sync-test', band_id: null, starts_at: start, ends_at: new Date(start.getTime() + 20 * 60_000), modality: 'office' }).returning('id').executeTakeFirstOrThrow();
  t.ok(await eventually(async () => index.get(slot.id) !== undefined), 'the slot arrived after reconnection');
  t.not(sync.listenerBackendPid, pid, 'a new connection');
});

t.test('a transaction that took its sequence early but committed late is not skipped', async (t) => {
  const handle = await migratedDatabase(t);
  const [early, late] = await fixture(handle.db, 2);
  const { index, sync } = startSync(t, handle);
  await sync.start();
  const slow = await handle.pool.connect();
  t.teardown(() => slow.release());
  const startA = new Date(Date.now() + 4 * HOUR);
  await slow.query('begin');
  const a = await slow.query<{ id: string }>(`insert into slots (professional_id, site_id, territory_id, starts_at, ends_at, modality)
    values ($1, $2, 'sync-test', $3, $4, 'office') returning id`, [early!.id, early!.site, startA, new Date(startA.getTime() + 20 * 60_000)]);
  const startB = new Date(Date.now() + 5 * HOUR);
  const b = await handle.db.insertInto('slots').values({ professional_id: late!.id, site_id: late!.site, territory_id: 'sync-test', band_id: null, starts_at: startB, ends_at: new Date(startB.getTime() + 20 * 60_000), modality: 'office' }).returning('id').executeTakeFirstOrThrow();
  await sync.catchUp();
  t.ok(index.get(b.id), 'the later sequence, committed first, is in');
  t.notOk(index.get(a.rows[0]!.id), 'the uncommitted one is not');
  await slow.query('commit');
  await sync.catchUp();
  t.ok(index.get(a.rows[0]!.id), 'the earlier sequence, committed later, is in too');
});

// Long enough that the insert and the catch-up pass surely end before it
// expires on a loaded machine (at 1.5 s, a slow pass saw it expired already).
const HOLD_MS = 4_000;

t.test('an expired hold makes the slot matchable again with no write at all', async (t) => {
  const handle = await migratedDatabase(t);
  const [pro] = await fixture(handle.db, 1);
  const { index, sync } = startSync(t, handle);
  await sync.start();
  const start = new Date(Date.now() + 6 * HOUR);
  const slot = await handle.db.insertInto('slots').values({ professional_id: pro!.id, site_id: pro!.site, territory_id: 'sync-test', band_id: null, starts_at: start, ends_at: new Date(start.getTime() + 20 * 60_000), modality: 'office', status: 'held', held_until: new Date(Date.now() + HOLD_MS) }).returning('id').executeTakeFirstOrThrow();
  await sync.catchUp();
  t.notOk(index.get(slot.id), 'held: not matchable');
  t.ok(await eventually(async () => index.get(slot.id) !== undefined, HOLD_MS + 5_000), 'free again once the hold has expired');
});

t.test('the slot stream: every open slot once, whatever the batch, and an early stop leaves the connection usable', async (t) => {
  const handle = await migratedDatabase(t);
  const [pro] = await fixture(handle.db, 1);
  const base = Date.now() + HOUR;
  const made = await handle.db.insertInto('slots').values(Array.from({ length: 23 }, (_, i) => ({
    professional_id: pro!.id, site_id: pro!.site, territory_id: 'sync-test', band_id: null,
    starts_at: new Date(base + i * 20 * 60_000), ends_at: new Date(base + (i + 1) * 20 * 60_000), modality: 'office' as const,
    status: i % 5 === 0 ? 'booked' as const : 'free' as const,
  }))).returning(['id', 'status']).execute();
  const open = made.filter((s) => s.status === 'free').map((s) => s.id).sort();
  const client = await handle.pool.connect();
  t.teardown(() => client.release());
  for (const batch of [1, 3, 18, 500]) {
    const seen: string[] = [];
    const sizes: number[] = [];
    for await (const rows of streamOpenSlots(client, Date.now(), base + 24 * HOUR, batch)) {
      sizes.push(rows.length);
      seen.push(...rows.map((row) => row[0]));
    }
    t.same(seen.sort(), open, `batch ${batch}: the ${open.length} open slots, each once`);
    t.ok(sizes.every((size) => size > 0 && size <= batch), `batch ${batch}: no empty or oversized batch (${sizes.join(', ')})`);
  }
  let taken = 0;
  for await (const rows of streamOpenSlots(client, Date.now(), base + 24 * HOUR, 4)) {
    taken += rows.length;
    break;
  }
  t.equal(taken, 4, 'stopped after the first batch');
  t.equal((await client.query('select 1 as one')).rows[0].one, 1, 'the connection answers the next query');
});

/** Whether `promise` settles within `ms` (its timer cleared either way). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

t.test('a catch-up pass takes an idle pooled connection, and the reserve when the pool is full instead of queueing', async (t) => {
  const handle = await migratedDatabase(t);
  const [pro] = await fixture(handle.db, 1);
  // The requests' pool, small enough to fill, and the sync's reserve of one connection (as src/service.ts does).
  const pool = openPool(handle.url, { max: 2, applicationName: 'snp-test-requests' });
  const reserve = openPool(handle.url, { max: 1, applicationName: 'snp-test-reserve' });
  const index = new SlotIndex();
  const notifier = new Notifier({ url: handle.url, heartbeatMs: 1_000 });
  const sync = new IndexSync({ notifier, pool, reserve, index, logger: pino({ level: 'silent' }), backstopMs: 60_000 });
  t.teardown(async () => { await sync.stop(); await notifier.stop(); await pool.end(); await reserve.end(); });
  await sync.start();
  const slotAt = async (hours: number) => {
    const start = new Date(Date.now() + hours * HOUR);
    return (await handle.db.insertInto('slots').values({ professional_id: pro!.id, site_id: pro!.site, territory_id: 'sync-test', band_id: null, starts_at: start, ends_at: new Date(start.getTime() + 20 * 60_000), modality: 'office' }).returning('id').executeTakeFirstOrThrow()).id;
  };

  const first = await slotAt(2);
  await sync.catchUp();
  t.ok(index.get(first), 'the pass read the new slot');
  t.equal(reserve.totalCount, 0, 'with a pooled connection idle, the reserve was never opened');

  // A burst of requests: every pooled connection lent, one more query waiting for the pool.
  const lent = [await pool.connect(), await pool.connect()];
  const queued = pool.query('select 1');
  t.equal(pool.waitingCount, 1, 'the pool is full and has a waiter');
  const second = await slotAt(3);
  const caughtUp = sync.catchUp();
  t.ok(await settlesWithin(caughtUp, 3_000), 'the pass did not wait for the pool (the lent connections are held 3 s)');
  t.ok(index.get(second), 'the slot written during the burst is in the index');
  t.equal(reserve.totalCount, 1, 'the pass ran on the reserve');
  for (const client of lent) client.release();
  await queued;
  await caughtUp;
});

t.test("an instance's own hint of a write it reflected defers its pass, which still comes; other instances pass at once", async (t) => {
  const handle = await migratedDatabase(t);
  const [pro] = await fixture(handle.db, 1);
  const DELAY_MS = 1_000;
  // Two instances, each with its notifier; A announces its writes as src/service.ts does.
  const a = { index: new SlotIndex(), notifier: new Notifier({ url: handle.url, heartbeatMs: 1_000 }) };
  const syncA = new IndexSync({ notifier: a.notifier, pool: handle.pool, index: a.index, logger: pino({ level: 'silent' }), backstopMs: 60_000, reflectedPassDelayMs: DELAY_MS });
  const hintA = new SlotChangeHint(a.notifier);
  const { index: indexB, sync: syncB } = startSync(t, handle);
  t.teardown(async () => { await hintA.stop(); await syncA.stop(); await a.notifier.stop(); });
  await Promise.all([syncA.start(), syncB.start()]);
  const start = new Date(Date.now() + 6 * HOUR);
  const slot = await handle.db.insertInto('slots').values({ professional_id: pro!.id, site_id: pro!.site, territory_id: 'sync-test', band_id: null, starts_at: start, ends_at: new Date(start.getTime() + 20 * 60_000), modality: 'office' }).returning('id').executeTakeFirstOrThrow();
  await Promise.all([syncA.catchUp(), syncB.catchUp()]);
  t.ok(a.index.get(slot.id) && indexB.get(slot.id), 'both instances index the free slot');

  // A holds it as the hold use case does: no NOTIFY inside the transaction, the slot
  // dropped from A's index at once, then the after-commit hint saying so.
  const { changeSeq } = await handle.db.transaction().execute(async (trx) => {
    await sql`select set_config('snp.defer_notify', 'on', true)`.execute(trx);
    return trx.updateTable('slots').set({ status: 'held', held_until: new Date(Date.now() + HOLD_MS) }).where('id', '=', slot.id)
      .returning('change_seq as changeSeq').executeTakeFirstOrThrow();
  });
  const signalledAt = Date.now();
  syncA.reflectTaken(slot.id, Number(changeSeq));
  hintA.signal(undefined, true);
  t.notOk(a.index.get(slot.id), 'A: gone before the hint (read-your-writes)');
  t.ok(await eventually(async () => indexB.get(slot.id) === undefined), 'B heard the hint and passed');
  t.equal(syncB.status().lastAppliedSeq, Number(changeSeq), "B's pass read the held row");
  if (Date.now() - signalledAt < DELAY_MS / 2) t.ok(syncA.status().lastAppliedSeq < Number(changeSeq), "A's own pass has not run yet");
  t.ok(await eventually(async () => syncA.status().lastAppliedSeq === Number(changeSeq), 10_000), "A's deferred pass came");
  t.ok(Date.now() - signalledAt >= DELAY_MS, 'no sooner than its delay');
  // What only that pass gave A: the hold's end, so that the slot comes back with no write.
  t.ok(await eventually(async () => a.index.get(slot.id) !== undefined, HOLD_MS + 5_000), 'A offers the slot again once the hold has expired');
});
