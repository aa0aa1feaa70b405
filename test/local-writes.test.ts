// Read-your-writes keeps the index = PostgreSQL invariant (src/db/sync/local-writes.ts):
// a slot this instance took leaves its index at once, a catch-up pass whose
// snapshot predates the write cannot bring it back, and a later change already
// applied is not undone by an older local write.
import pg from 'pg';
import pino from 'pino';
import t from 'tap';
import { SlotIndex } from '../src/core/index/index.js';
import { Notifier } from '../src/db/notifications/notifier.js';
import { RecentLocalWrites } from '../src/db/sync/local-writes.js';
import { IndexSync, type SlotAvailabilityChange } from '../src/db/sync/index-sync.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, world } from './helpers/fixtures.js';

t.test('RecentLocalWrites: older rows are stale until a pass begun after the write has run', async (t) => {
  const writes = new RecentLocalWrites();
  writes.record('s', 10, 3);
  t.ok(writes.isStale('s', 9), 'a row older than the local write is stale');
  t.notOk(writes.isStale('other', 1), 'other slots are not concerned');
  writes.settle(3);
  t.equal(writes.size, 1, 'pass 3 began before the write: the entry stays');
  t.ok(writes.isStale('s', 9));
  writes.settle(4);
  t.equal(writes.size, 0, 'pass 4 began after it: settled');
  writes.record('s', 10, 5);
  t.notOk(writes.isStale('s', 10), 'the write itself, read by a pass, is not stale');
  t.equal(writes.size, 0, 'and from then on the passes are the truth');
  writes.record('s', 12, 5);
  writes.record('s', 11, 5);
  t.ok(writes.isStale('s', 11), 'an older local write never replaces a newer one');
});

t.test('a pass whose snapshot predates the local write does not bring the slot back; a newer change wins over an older local write', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  // An open transaction keeps every pass's watermark (its xmin) below the slots' writes: each pass re-reads them.
  const old = new pg.Client({ connectionString: db.url });
  await old.connect();
  await old.query('begin');
  await old.query('select pg_current_xact_id()');
  const [taken, other] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 2 }) as [string, string];
  const index = new SlotIndex();
  const notifier = new Notifier({ url: db.url });
  const sync = new IndexSync({ notifier, pool: db.pool, index, logger: pino({ level: 'silent' }), backstopMs: 600_000 });
  const locker = new pg.Client({ connectionString: db.url });
  await locker.connect();
  t.teardown(async () => {
    await sync.stop(); await notifier.stop();
    await old.query('rollback').catch(() => {}); await old.end(); await locker.end();
  });
  await sync.start();
  const changes: SlotAvailabilityChange[] = [];
  sync.onChange((change) => changes.push(change));
  t.ok(index.get(taken) !== undefined && index.get(other) !== undefined, 'both slots loaded');

  // Hold a pass after its snapshot and its read of the slots: it waits on the tombstones.
  await locker.query('begin');
  await locker.query('lock table slot_tombstones in access exclusive mode');
  sync.requestPass();
  for (let waited = 0; ; waited += 20) {
    const waiting = await db.pool.query(`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%slot_tombstones%'`);
    if (waiting.rowCount! > 0) break;
    if (waited > 10_000) throw new Error('the pass never reached the tombstones');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // The write commits after that snapshot; this instance reflects it at once.
  const { rows: [write] } = await db.pool.query<{ change_seq: number }>(`update slots set status = 'booked' where id = $1 returning change_seq`, [taken]);
  sync.reflectTaken(taken, write!.change_seq);
  t.equal(index.get(taken), undefined, 'the slot left the index before any pass');
  await locker.query('commit');
  await sync.catchUp();
  t.equal(index.get(taken), undefined, 'still out once the stale pass and the next one have run');
  t.same(changes.filter((c) => c.slotId === taken).map((c) => c.available), [false], 'the stale pass never offered it again, even briefly');

  // A newer change (the slot freed again) applied by a pass wins over a late, older local write.
  const { rows: [freed] } = await db.pool.query<{ change_seq: number }>(`update slots set status = 'free' where id = $1 returning change_seq`, [taken]);
  await sync.catchUp();
  t.equal(index.get(taken)?.seq, freed!.change_seq, 'free again, at its new version');
  sync.reflectTaken(taken, write!.change_seq);
  t.not(index.get(taken), undefined, 'an older local write does not undo it');
  t.not(index.get(other), undefined, 'the other slot never moved');
});
