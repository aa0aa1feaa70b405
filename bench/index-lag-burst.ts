// SPEC §5: commit → index lag p99 ≤ 10 ms, here while bursts of requests fill
// the pool the index sync's passes share with them. bench/match-http.ts
// measures the lag under a steady flow of writes; this adds, every 0.5 s, 30
// transactions of 30 ms each on a pool of 20 (requests held up by a slow
// statement or a slow disk), and times the same changes with the catch-up
// passes taking their connection from the pool alone (the baseline: they queue
// behind the burst) and with the sync's reserve as the service runs it
// (src/db/sync/pass-connection.ts), alternated round by round in one process.
//
//   node --import tsx bench/index-lag-burst.ts           # 100,000 slots, 1,000 changes/s, three rounds of 5 s each way
//   node --import tsx bench/index-lag-burst.ts --quick   # 10,000 slots, one round of 1 s each way (CI)
import { sql } from 'kysely';
import pino from 'pino';
import { SlotIndex } from '../src/core/index/index.js';
import { openPool } from '../src/db/database.js';
import { Notifier } from '../src/db/notifications/notifier.js';
import { IndexSync } from '../src/db/sync/index-sync.js';
import { generateDataset } from '../scripts/generate-dataset.js';
import { benchDatabase, type BenchDatabase } from './lib/bench-database.js';
import { fmt, summarise, table } from './lib/stats.js';

const quick = process.argv.includes('--quick');
const SLOTS = quick ? 10_000 : 100_000;
const ROUNDS = quick ? 1 : 3;
const CHANGES_PER_ROUND = quick ? 1_000 : 5_000;
const POOL = 20;
const BURST = { every: 500, transactions: 30, seconds: 0.03 };
/** Changes of the unmeasured first round (JIT, the pool's connections and plans), as bench/match-http.ts warms its lag. */
const WARM_UP_CHANGES = 500;

/** One round: a fresh index and sync, CHANGES_PER_ROUND slots blocked at 1,000/s with the bursts; the lag of each. */
async function round(bench: BenchDatabase, ids: string[], withReserve: boolean): Promise<number[]> {
  const index = new SlotIndex();
  const notifier = new Notifier({ url: bench.url });
  const reserve = withReserve ? openPool(bench.url, { max: 1, applicationName: 'snp-match:index-sync' }) : undefined;
  const sync = new IndexSync({ notifier, pool: bench.handle.pool, reserve, index, logger: pino({ level: 'silent' }) });
  try {
    await sync.start();
    const committedAt = new Map<string, number>();
    const lags: number[] = [];
    const off = sync.onChange((change) => {
      if (change.available) return;
      const at = committedAt.get(change.slotId);
      // Seen before its writer's query returned: no lag to speak of.
      if (at === undefined) lags.push(0);
      else { lags.push(performance.now() - at); committedAt.delete(change.slotId); }
    });
    const writes: Promise<unknown>[] = [];
    let next = 0;
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        ticks++;
        for (let i = 0; i < 10 && next < ids.length; i++) {
          const id = ids[next++]!;
          writes.push(bench.handle.pool.query(`update slots set status = 'blocked' where id = $1`, [id])
            .then(() => { if (index.get(id) !== undefined) committedAt.set(id, performance.now()); }));
        }
        if (ticks % (BURST.every / 10) === 0) {
          for (let i = 0; i < BURST.transactions; i++) writes.push(bench.handle.pool.query(`select pg_sleep(${BURST.seconds})`));
        }
        if (next >= ids.length) { clearInterval(timer); resolve(); }
      }, 10);
    });
    await Promise.all(writes);
    await sync.catchUp();
    off();
    return lags;
  } finally {
    await sync.stop();
    await notifier.stop();
    await reserve?.end();
  }
}

const bench = await benchDatabase(POOL);
try {
  await generateDataset(bench.handle.db, { territories: quick ? 5 : 50, professionals: SLOTS / 20, slots: SLOTS });
  await sql`vacuum (analyze)`.execute(bench.handle.db);
  // Free slots well inside the window, none changed twice.
  const free = (await sql<{ id: string }>`select id from slots where status = 'free'
      and starts_at > now() + interval '1 hour' and starts_at < now() + interval '70 hours' limit ${WARM_UP_CHANGES + 2 * ROUNDS * CHANGES_PER_ROUND}`.execute(bench.handle.db)).rows.map((r) => r.id);
  if (free.length < WARM_UP_CHANGES + 2 * ROUNDS * CHANGES_PER_ROUND) throw new Error(`only ${free.length} free slots to change`);
  await round(bench, free.slice(0, WARM_UP_CHANGES), true);
  const rows: string[][] = [['round', 'passes from', 'changes', 'lag p50 ms', 'p99 ms', 'max ms']];
  const all: Record<'pool' | 'reserve', number[]> = { pool: [], reserve: [] };
  let offset = WARM_UP_CHANGES;
  for (let r = 1; r <= ROUNDS; r++) {
    for (const withReserve of [false, true]) {
      const lags = await round(bench, free.slice(offset, offset + CHANGES_PER_ROUND), withReserve);
      offset += CHANGES_PER_ROUND;
      const s = summarise(lags);
      rows.push([String(r), withReserve ? 'pool, reserve when full (the service)' : 'pool alone (baseline)', String(s.n), fmt(s.p50), fmt(s.p99), fmt(s.max)]);
      all[withReserve ? 'reserve' : 'pool'].push(...lags);
    }
  }
  const pool = summarise(all.pool);
  const reserve = summarise(all.reserve);
  process.stdout.write(`\ncommit → index lag with bursts filling the pool${quick ? ' (quick)' : ''}: ${SLOTS} slots, 1,000 changes/s, `
    + `every ${BURST.every} ms ${BURST.transactions} transactions of ${BURST.seconds * 1000} ms on a pool of ${POOL}\n\n`);
  table(rows);
  process.stdout.write(`\nall rounds: pool alone p99 ${fmt(pool.p99)} ms; with the reserve p99 ${fmt(reserve.p99)} ms (bar: p99 ≤ 10 ms)\n`);
} finally {
  await bench.dispose();
}
