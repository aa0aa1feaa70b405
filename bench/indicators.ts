// How long the SNP indicators take on a year of one territory's history
// (scripts/generate-indicator-history.ts): the SQL alone (readIndicators, the
// four queries side by side on the pool) for a year, a month and a day, and
// GET /v1/indicators over real HTTP for the year, JSON and CSV. The target is
// under 500 ms for the year; it prints numbers, it never asserts. A bare count
// of the year's requests is timed alongside as the baseline of the run, and
// the CPU the database spent per SQL run is read from /proc (a local server),
// which does not depend on how loaded the machine is.
//
//   node --import tsx bench/indicators.ts [--quick]
//
// --quick: 6 professionals and 10 unanswered requests a day, for CI.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { createClient } from '../src/auth/clients.js';
import { readIndicators } from '../src/db/indicators/index.js';
import { isPeriodProblem, resolvePeriod, type PeriodRequest } from '../src/core/time/report-period.js';
import { startService } from '../src/service.js';
import { generateIndicatorHistory } from '../scripts/generate-indicator-history.js';
import { benchDatabase } from './lib/bench-database.js';
import { backendCpu, cpuSpent } from './lib/backend-cpu.js';
import { fmt, summarise, table } from './lib/stats.js';
import { postgresVersion, writeResults } from './lib/results.js';

const quick = process.argv.includes('--quick');
const YEAR = 2025;
const TERRITORY = 'history-cpts';
const RUNS = quick ? 5 : 20;

async function time(runs: number, run: () => Promise<unknown>): Promise<number[]> {
  await run(); // warm-up: plans, caches, JIT
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return samples;
}

const bench = await benchDatabase(10);
try {
  const size = await generateIndicatorHistory(bench.handle.db, {
    territoryId: TERRITORY, year: YEAR, professionals: quick ? 6 : 40, ...(quick ? { unansweredPerDay: 10 } : {}),
  });
  process.stdout.write(`history of ${YEAR}: ${size.slots} band slots, ${size.bookings} bookings, ${size.requests} requests (generated in ${fmt(size.seconds)} s)\n\n`);

  const rows: (string | number)[][] = [['what', 'runs', 'p50 ms', 'max ms', 'db CPU ms/run']];
  // Baseline in the same run (absolute numbers vary with the machine's load):
  // the cheapest question on the same data, a count of the year's requests.
  const base = summarise(await time(RUNS, () => sql`select count(*) from requests where territory_id = ${TERRITORY}
    and created_at >= ${`${YEAR}-01-01`}::date and created_at < ${`${YEAR + 1}-01-01`}::date`.execute(bench.handle.db)));
  rows.push(['baseline: count of the year\'s requests', base.n, fmt(base.p50), fmt(base.max), '']);
  const periods: [string, PeriodRequest][] = [
    ['SQL, year', { kind: 'custom', from: `${YEAR}-01-01`, to: `${YEAR}-12-31` }],
    ['SQL, month (Oct, DST)', { kind: 'month', from: `${YEAR}-10-01` }],
    ['SQL, day (26 Oct, 25 h)', { kind: 'day', from: `${YEAR}-10-26` }],
  ];
  for (const [label, request] of periods) {
    const period = resolvePeriod(request, 'Europe/Paris', Date.now());
    if (isPeriodProblem(period)) throw new Error(period.message);
    const run = () => readIndicators(bench.handle.db, { territoryId: TERRITORY, start: period.start, end: period.end });
    await run();
    const before = await backendCpu(bench.handle.db);
    const s = summarise(await time(RUNS, run));
    const cpu = cpuSpent(before, await backendCpu(bench.handle.db));
    rows.push([label, s.n, fmt(s.p50), fmt(s.max), cpu === undefined ? '-' : fmt(cpu / (RUNS + 1))]);
  }

  const service = await startService(loadConfig({ DATABASE_URL: bench.url, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', NODE_ENV: 'production' }), pino({ level: 'silent' }));
  try {
    // The first seconds after a start may lag the event loop (overload shedding answers 503).
    for (let i = 0; i < 300 && (await fetch(`${service.url}/readyz`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    const { token } = await createClient(bench.handle.db, { role: 'coordinator', territories: [TERRITORY], name: 'bench coordinator' });
    const year = `${service.url}/v1/indicators?territory=${TERRITORY}&period=custom&from=${YEAR}-01-01&to=${YEAR}-12-31`;
    // JSON and CSV alternate, so that background work after the start weighs on both alike.
    const get = async (url: string) => {
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`GET indicators: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    const samples: Record<'json' | 'csv', number[]> = { json: [], csv: [] };
    await get(year);
    for (let i = 0; i < RUNS; i++) {
      for (const [kind, url] of [['json', year], ['csv', `${year}&format=csv`]] as const) {
        const t0 = performance.now();
        await get(url);
        samples[kind].push(performance.now() - t0);
      }
    }
    for (const kind of ['json', 'csv'] as const) {
      const s = summarise(samples[kind]);
      rows.push([`HTTP, year, ${kind.toUpperCase()}`, s.n, fmt(s.p50), fmt(s.max), '']);
    }
    const sample = await (await fetch(year, { headers: { authorization: `Bearer ${token}` } })).json() as { requests: { total: number }; delays: unknown };
    process.stdout.write(`year: ${sample.requests.total} requests; delays ${JSON.stringify(sample.delays)}\n\n`);
  } finally {
    await service.close();
  }
  table(rows);
  process.stdout.write('\ntarget: the year under 500 ms\n');
  // The rows as figures (p50 and max ms, database CPU ms per run), keyed by their label.
  const figures: Record<string, number> = {};
  for (const [label, , p50, max, cpu] of rows.slice(1)) {
    const key = String(label).replace(/[^a-zA-Z0-9]+/g, ' ').trim().replace(/ (\w)/g, (_, c: string) => c.toUpperCase());
    figures[`${key}P50Ms`] = Number(p50);
    figures[`${key}MaxMs`] = Number(max);
    if (cpu !== '' && cpu !== '-') figures[`${key}DbCpuMs`] = Number(cpu);
  }
  writeResults('indicators', quick, { postgres: await postgresVersion(bench.url), figures, baselines: {}, guarded: {} });
} finally {
  await bench.dispose();
}
