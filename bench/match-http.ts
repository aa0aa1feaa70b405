// The matching bars of SPEC §5 on a national-scale data set in a real PostgreSQL:
//  (4a) time and memory to load every free slot into the index;
//  (3)  the index against a plain SQL query on indexed tables, same queries, same run;
//  (2)  POST /v1/match under autocannon against a bare Fastify echo route, same run;
//  (4b) commit-to-index lag under a steady stream of slot changes.
//
//   node --expose-gc --import tsx bench/match-http.ts            # 1,000,000 slots (generation takes ~2 min)
//   node --expose-gc --import tsx bench/match-http.ts --quick    # 20,000 slots, short runs (CI)
import Fastify from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { SlotIndex } from '../src/core/index/index.js';
import { loadConfig } from '../src/config.js';
import { createClient } from '../src/auth/clients.js';
import { IndexSync } from '../src/db/sync/index-sync.js';
import { openPool } from '../src/db/database.js';
import { Notifier } from '../src/db/notifications/notifier.js';
import { startService } from '../src/service.js';
import { generateDataset, randomQueries, type Dataset } from '../scripts/generate-dataset.js';
import { benchDatabase, type BenchDatabase } from './lib/bench-database.js';
import { load, type LoadResult } from './lib/load.js';
import { postgresVersion, writeResults } from './lib/results.js';
import { setDebugSlowdown } from '../src/core/debug-slowdown.js';
import { fmt, summarise, table } from './lib/stats.js';
import { productionLogger } from './lib/production-logger.js';

const quick = process.argv.includes('--quick');
// The deliberate slowdown of the bench guards' test, when set: the in-process index here, the service below.
const SLOWDOWN = process.env.SNP_DEBUG_SLOWDOWN;
setDebugSlowdown(loadConfig({ SNP_DEBUG_SLOWDOWN: SLOWDOWN }).SNP_DEBUG_SLOWDOWN);
const SIZE = quick ? { territories: 20, professionals: 2_000, slots: 20_000 } : { territories: 500, professionals: 50_000, slots: 1_000_000 };
const HTTP_SECONDS = quick ? 2 : 10;
const WARMUP_SECONDS = quick ? 1 : 2;
const CONNECTIONS = 50;
const SQL_QUERIES = quick ? 200 : 1_000;
const INDEX_QUERIES = quick ? 2_000 : 100_000;
const LAG = quick ? { perSecond: 200, seconds: 1 } : { perSecond: 1_000, seconds: 5 };
const silent = pino({ level: 'silent' });
const mb = (bytes: number) => fmt(bytes / 1048576, 0);
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function measureLoad(bench: BenchDatabase) {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const index = new SlotIndex();
  const notifier = new Notifier({ url: bench.url });
  // As in the service (src/service.ts): the bench's pool, which the lag's writer fills, and the passes' reserve.
  const reserve = openPool(bench.url, { max: 1, applicationName: 'snp-match:index-sync' });
  const sync = new IndexSync({ notifier, pool: bench.handle.pool, reserve, index, logger: silent });
  const started = performance.now();
  await sync.start();
  const loadMs = performance.now() - started;
  gc();
  const heapMb = mb(process.memoryUsage().heapUsed - heapBefore);
  const rssMb = mb(process.memoryUsage().rss);
  return { index, sync, reserve, notifier, loadMs, heapMb, rssMb };
}

/** The query one would write without the index: same filters, same order, on indexed tables. */
async function sqlBaseline(bench: BenchDatabase, dataset: Dataset, queries: ReturnType<typeof randomQueries>) {
  await sql`create index if not exists bench_slots_free on slots (territory_id, starts_at) where status = 'free'`.execute(bench.handle.db);
  await sql`analyze slots`.execute(bench.handle.db);
  const territoryOf = new Map(dataset.communes.map((c) => [c.code, c]));
  const samples: number[] = [];
  for (const q of queries.slice(0, SQL_QUERIES)) {
    const commune = territoryOf.get(q.commune)!;
    const near = q.near ?? { lat: commune.lat, lon: commune.lon };
    const started = performance.now();
    await sql`
      select s.id, s.starts_at, s.ends_at, s.modality, p.rpps, p.given_name, p.family_name, p.profession, p.skills, si.commune_code, si.lat, si.lon,
             6371 * 2 * asin(sqrt(power(sin(radians(si.lat - ${near.lat}) / 2), 2)
               + cos(radians(${near.lat})) * cos(radians(si.lat)) * power(sin(radians(si.lon - ${near.lon}) / 2), 2))) as km
      from slots s join professionals p on p.id = s.professional_id join sites si on si.id = s.site_id
      where s.territory_id = ${commune.territoryId} and s.status = 'free'
        and s.starts_at >= now() and s.starts_at < now() + interval '48 hours'
        and p.profession = any(${q.professions}::text[])
        and p.skills @> ${q.skills ?? []}::text[]
        and (${q.modalities ?? null}::text[] is null or s.modality = any(${q.modalities ?? null}::text[]))
        and (${q.maxDistanceKm ?? null}::float8 is null or 6371 * 2 * asin(sqrt(power(sin(radians(si.lat - ${near.lat}) / 2), 2)
               + cos(radians(${near.lat})) * cos(radians(si.lat)) * power(sin(radians(si.lon - ${near.lon}) / 2), 2))) <= ${q.maxDistanceKm ?? null}::float8)
      order by s.starts_at, km, s.id
      limit ${q.limit}`.execute(bench.handle.db);
    samples.push((performance.now() - started) * 1000);
  }
  return summarise(samples);
}

function indexTimings(index: SlotIndex, dataset: Dataset, queries: ReturnType<typeof randomQueries>) {
  const territoryOf = new Map(dataset.communes.map((c) => [c.code, c]));
  const samples: number[] = [];
  const now = Date.now();
  for (const q of queries.slice(0, INDEX_QUERIES)) {
    const commune = territoryOf.get(q.commune)!;
    const started = performance.now();
    index.match({
      territoryId: commune.territoryId, professions: q.professions, skills: q.skills ?? [], modalities: q.modalities ?? [],
      from: now, until: now + 48 * 3_600_000, near: q.near ?? { lat: commune.lat, lon: commune.lon },
      ...(q.maxDistanceKm !== undefined ? { maxDistanceKm: q.maxDistanceKm } : {}), limit: q.limit,
    });
    samples.push((performance.now() - started) * 1000);
  }
  return summarise(samples);
}

async function measureHttp(bench: BenchDatabase, dataset: Dataset, queries: ReturnType<typeof randomQueries>) {
  const echo = Fastify({ logger: false });
  echo.post('/echo', async (request) => ({ echo: request.body }));
  await echo.listen({ port: 0, host: '127.0.0.1' });
  const echoPort = (echo.server.address() as { port: number }).port;
  // As in production: request logging on (info, to /dev/null), authentication, validation, metrics, the
  // rate limit — raised to 1,000,000/min, since one regulator sends every request and the default
  // 3,000/min would measure 429s, not matches.
  const service = await startService(loadConfig({
    DATABASE_URL: bench.url, PORT: '0', LOG_LEVEL: 'info', SEED_DEMO: 'false', NODE_ENV: 'production', SNP_DEBUG_SLOWDOWN: SLOWDOWN,
    RATE_LIMIT_PER_MINUTE: '1000000',
  }), productionLogger());
  try {
    const { token } = await createClient(bench.handle.db, { role: 'regulator', territories: dataset.territoryIds, name: 'bench regulator' });
    const bodies = queries.slice(0, 5_000);
    // The CPU this process (server side only: the load generator is another process) spends per
    // request answered 2xx: unlike wall-clock throughput, it barely moves with the load other
    // processes put on the machine. Refusals do not count as served: a route so slow that the
    // overload guard sheds most requests with a cheap 503 must not look cheap per request.
    const cpuMsPerRequest = async (run: () => Promise<LoadResult>) => {
      const before = process.cpuUsage();
      const result = await run();
      const used = process.cpuUsage(before);
      return { ...result, cpuMsPerRequest: (used.user + used.system) / 1000 / Math.max(1, result.total - result.non2xx) };
    };
    const echoJob = { url: `http://127.0.0.1:${echoPort}/echo`, connections: CONNECTIONS, bodies };
    const matchJob = { url: `${service.url}/v1/match`, connections: CONNECTIONS, headers: { authorization: `Bearer ${token}` }, bodies };
    // Each warmed up first (JIT, the token cache): a 2 s quick run otherwise measures mostly cold code.
    // Each right after its own warm-up: requests a warm-up leaves in flight are still served after its
    // client has gone, and a slowed match route's (the guard self-test) starved the echo measured next.
    await load({ ...echoJob, durationSeconds: WARMUP_SECONDS });
    const baseline = await cpuMsPerRequest(() => load({ ...echoJob, durationSeconds: HTTP_SECONDS }));
    await load({ ...matchJob, durationSeconds: WARMUP_SECONDS });
    const match = await cpuMsPerRequest(() => load({ ...matchJob, durationSeconds: HTTP_SECONDS }));
    return { baseline, match };
  } finally {
    await service.close();
    await echo.close();
  }
}

/**
 * Commit → visible in the index, for single-row changes at a steady rate. A change the index
 * shows before the writer's own query has returned counts as a lag of 0 (it is not dropped:
 * that would leave out the fastest).
 */
async function measureLag(bench: BenchDatabase, index: SlotIndex, sync: IndexSync) {
  const all = [...index.values()].slice(0, LAG.perSecond * (LAG.seconds + 1)).map((s) => s.id);
  // One second of the same changes first, unmeasured: the pool's connections, their plans and the apply path warm up.
  await changeAtSteadyRate(bench, all.slice(0, LAG.perSecond), () => {});
  await sync.catchUp();
  const committedAt = new Map<string, number>();
  const seenEarly = new Set<string>();
  const lags: number[] = [];
  const off = sync.onChange((change) => {
    if (change.available) return;
    const at = committedAt.get(change.slotId);
    if (at === undefined) seenEarly.add(change.slotId);
    else { lags.push(performance.now() - at); committedAt.delete(change.slotId); }
  });
  const ids = all.slice(LAG.perSecond);
  await changeAtSteadyRate(bench, ids, (id) => {
    if (seenEarly.delete(id)) lags.push(0);
    else committedAt.set(id, performance.now());
  });
  await sync.catchUp();
  off();
  return { changes: ids.length, ...summarise(lags) };
}

/** Blocks each slot in turn, LAG.perSecond a second in ticks of 10 ms; `committed(id)` when its update returns. */
async function changeAtSteadyRate(bench: BenchDatabase, ids: string[], committed: (id: string) => void) {
  const perTick = Math.max(1, Math.round(LAG.perSecond / 100));
  const writes: Promise<void>[] = [];
  let next = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (let i = 0; i < perTick && next < ids.length; i++) {
        const id = ids[next++]!;
        writes.push(bench.handle.pool.query(`update slots set status = 'blocked' where id = $1`, [id]).then(() => committed(id)));
      }
      if (next >= ids.length) { clearInterval(timer); resolve(); }
    }, 10);
  });
  await Promise.all(writes);
}

const started = Date.now();
const bench = await benchDatabase(20);
try {
  const dataset = await generateDataset(bench.handle.db, SIZE);
  const generatedS = (Date.now() - started) / 1000;
  // A settled database, as in production: without this, autovacuum's first pass over the million
  // rows just inserted runs during the measurements (it held the commit → index lag's p99 at 30 ms).
  await sql`vacuum (analyze)`.execute(bench.handle.db);
  const queries = randomQueries(dataset, Math.max(INDEX_QUERIES, 5_000));
  const loaded = await measureLoad(bench);
  const indexed = indexTimings(loaded.index, dataset, queries);
  const baselineSql = await sqlBaseline(bench, dataset, queries);
  const lag = await measureLag(bench, loaded.index, loaded.sync);
  await loaded.sync.stop();
  await loaded.reserve.end();
  await loaded.notifier.stop();
  const http = await measureHttp(bench, dataset, queries);

  process.stdout.write(`\nmatch bench${quick ? ' (quick)' : ''}: ${SIZE.slots} slots generated, ${loaded.index.size} free in the index window, ${SIZE.professionals} professionals, ${SIZE.territories} territories (generation ${fmt(generatedS, 0)} s)\n\n`);
  table([
    ['measure', 'p50', 'p99', 'n', 'note'],
    ['index match (µs)', fmt(indexed.p50, 1), fmt(indexed.p99, 1), indexed.n, 'in-process SlotIndex.match'],
    ['SQL baseline (µs)', fmt(baselineSql.p50, 0), fmt(baselineSql.p99, 0), baselineSql.n, 'same filters and order, partial index on (territory, start)'],
    ['  ratio SQL / index', fmt(baselineSql.p50 / indexed.p50, 0) + '×', fmt(baselineSql.p99 / indexed.p99, 0) + '×', '', 'bar: ≥ 100× at p99'],
    ['commit → index lag (ms)', fmt(lag.p50, 1), fmt(lag.p99, 1), lag.n, `${LAG.perSecond} single-row changes/s for ${LAG.seconds} s; bar p99 ≤ 10 ms`],
  ]);
  process.stdout.write(`\nindex load: ${fmt(loaded.loadMs / 1000, 2)} s (bar ≤ 10 s); heap for the index ${loaded.heapMb} MB, process RSS ${loaded.rssMb} MB (with the generated data set; the 400 MB bar is bench/matcher-inprocess.ts's)\n\n`);
  table([
    ['HTTP, 50 connections', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx'],
    ['bare Fastify echo', fmt(http.baseline.requestsPerSecond, 0), http.baseline.p50, http.baseline.p99, http.baseline.non2xx],
    ['POST /v1/match', fmt(http.match.requestsPerSecond, 0), http.match.p50, http.match.p99, http.match.non2xx],
    ['  match / echo', fmt((100 * http.match.requestsPerSecond) / http.baseline.requestsPerSecond, 0) + ' %', '', '', 'bar: ≥ 60 %, p99 ≤ 10 ms'],
  ]);
  process.stdout.write(`server CPU per request answered 2xx: echo ${fmt(http.baseline.cpuMsPerRequest, 3)} ms, match ${fmt(http.match.cpuMsPerRequest, 3)} ms `
    + `-> match throughput per CPU-second ${fmt((100 * http.baseline.cpuMsPerRequest) / http.match.cpuMsPerRequest, 0)} % of echo's\n`);
  writeResults('match-http', quick, {
    postgres: await postgresVersion(bench.url),
    figures: {
      slots: SIZE.slots, indexedSlots: loaded.index.size, indexLoadMs: loaded.loadMs, indexHeapMb: Number(loaded.heapMb), processRssMb: Number(loaded.rssMb),
      indexMatchP50Us: indexed.p50, indexMatchP99Us: indexed.p99,
      commitToIndexLagP50Ms: lag.p50, commitToIndexLagP99Ms: lag.p99, lagChanges: lag.n,
      httpMatchRps: http.match.requestsPerSecond, httpMatchP50Ms: http.match.p50, httpMatchP99Ms: http.match.p99, httpMatchNon2xx: http.match.non2xx, httpMatchCpuMsPerRequest: http.match.cpuMsPerRequest,
      httpMatchPerEchoWallThroughput: http.match.requestsPerSecond / http.baseline.requestsPerSecond,
    },
    baselines: { sqlMatchP50Us: baselineSql.p50, sqlMatchP99Us: baselineSql.p99, httpEchoRps: http.baseline.requestsPerSecond, httpEchoP50Ms: http.baseline.p50, httpEchoP99Ms: http.baseline.p99, httpEchoCpuMsPerRequest: http.baseline.cpuMsPerRequest },
    guarded: {
      // Throughput per server CPU-second, match over echo (wall-clock throughput: figures.httpMatchPerEchoWallThroughput).
      httpMatchPerEchoThroughput: http.baseline.cpuMsPerRequest / http.match.cpuMsPerRequest,
      indexPerSqlMatchLatencyP50: indexed.p50 / baselineSql.p50,
      commitToIndexLagP99Ms: lag.p99,
    },
  });
} finally {
  await bench.dispose();
}
