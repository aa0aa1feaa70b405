// SPEC §5: the index loads 1,000,000 slots in ≤ 10 s. Times what a starting
// instance does (IndexSync.start(): the directory, then every open slot of the
// window streamed into a fresh SlotIndex), beside its baseline in the same run:
// the same rows read through the same cursor without indexing them, so the
// ratio shows what the index itself adds to reading PostgreSQL.
//
//   node --import tsx bench/index-load.ts            # 1,000,000 slots (generation ~1 min), three loads
//   node --import tsx bench/index-load.ts --quick    # 20,000 slots (CI)
import pino from 'pino';
import { SlotIndex } from '../src/core/index/index.js';
import { IndexSync, INDEX_WINDOW_MS } from '../src/db/sync/index-sync.js';
import { Notifier } from '../src/db/notifications/notifier.js';
import { Directory, streamOpenSlots } from '../src/db/sync/slot-rows.js';
import { generateDataset } from '../scripts/generate-dataset.js';
import { benchDatabase, type BenchDatabase } from './lib/bench-database.js';
import { fmt, table } from './lib/stats.js';

const quick = process.argv.includes('--quick');
const SLOTS = quick ? 20_000 : 1_000_000;
const RUNS = 3;

interface Timing { wallMs: number; cpuMs: number; rows: number }

async function timed(run: () => Promise<number>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const rows = await run();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000, rows };
}

/** The baseline: the rows read, nothing indexed. */
async function readOnly(bench: BenchDatabase): Promise<number> {
  const client = await bench.handle.pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    await new Directory().loadAll(client);
    let rows = 0;
    for await (const batch of streamOpenSlots(client, Date.now(), Date.now() + INDEX_WINDOW_MS)) rows += batch.length;
    await client.query('commit');
    return rows;
  } finally {
    client.release();
  }
}

async function indexLoad(bench: BenchDatabase): Promise<number> {
  const index = new SlotIndex();
  const notifier = new Notifier({ url: bench.url });
  const sync = new IndexSync({ notifier, pool: bench.handle.pool, index, logger: pino({ level: 'silent' }) });
  try {
    await sync.start();
    return index.size;
  } finally {
    await sync.stop();
    await notifier.stop();
  }
}

const bench = await benchDatabase(4);
try {
  const generating = performance.now();
  await generateDataset(bench.handle.db, { territories: quick ? 20 : 500, professionals: SLOTS / 20, slots: SLOTS });
  const generatedS = (performance.now() - generating) / 1000;
  const rows: string[][] = [['run', 'read only: wall s', 'cpu s', 'index load: wall s', 'cpu s', 'slots indexed', 'load / read']];
  for (let run = 1; run <= RUNS; run++) {
    const read = await timed(() => readOnly(bench));
    const load = await timed(() => indexLoad(bench));
    rows.push([String(run), fmt(read.wallMs / 1000, 2), fmt(read.cpuMs / 1000, 2), fmt(load.wallMs / 1000, 2), fmt(load.cpuMs / 1000, 2),
      String(load.rows), `${fmt(load.wallMs / read.wallMs, 1)}×`]);
  }
  process.stdout.write(`\nindex load bench${quick ? ' (quick)' : ''}: ${SLOTS} slots generated in ${fmt(generatedS, 0)} s; bar: index load of 1,000,000 slots ≤ 10 s\n\n`);
  table(rows);
} finally {
  await bench.dispose();
}
