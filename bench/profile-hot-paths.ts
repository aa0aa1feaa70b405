// Where the time of a match request and of a booking goes (issue 18). The
// service runs in this process, as in production (logs at info to /dev/null,
// authentication, validation, metrics and the rate limit on — raised to
// 1,000,000/min so that the load measures the service, not a 429), on a durable
// embedded PostgreSQL with pg_stat_statements. The load generator is its own
// process. This process is CPU-profiled (node:inspector) during the measured
// window only; each sample is charged to a concern (bench/lib/cpu-profile.ts).
// For bookings, PostgreSQL's side: CPU of all its processes, statements, rows
// and WAL bytes per booking, fsyncs per booking.
//
//   node --import tsx bench/profile-hot-paths.ts match   [--seconds 10] [--connections 50] [--profile-out file.cpuprofile] [--profile-echo] [--allocations]
//     (with --profile-echo, --profile-out also keeps the echo's profile, as file.echo.cpuprofile)
//   node --import tsx bench/profile-hot-paths.ts booking [--seconds 10] [--connections 20] [--history 100000] [--sql 'alter system set commit_delay = 200']
//   node --import tsx bench/profile-hot-paths.ts --quick     # both, 2 s each (bench:quick, so that it never rots)
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import pg from 'pg';
import { createClient } from '../src/auth/clients.js';
import { loadConfig } from '../src/config.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { migrate, readMigrations } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/database.js';
import { startService } from '../src/service.js';
import { generateDataset, randomQueries } from '../scripts/generate-dataset.js';
import { BENCH_TERRITORY, createBookableSlots, createBookingHistory } from './booking/dataset.js';
import { breakdown, startProfiling } from './lib/cpu-profile.js';
import { startAllocationSampling } from './lib/allocation-profile.js';
import { load } from './lib/load.js';
import { productionLogger } from './lib/production-logger.js';

const what = process.argv[2];
const quick = process.argv.includes('--quick');
if (what !== 'match' && what !== 'booking') {
  if (!quick) throw new Error('usage: profile-hot-paths.ts match|booking [--seconds N] [--connections N] | --quick');
  // Quick mode: each profile for 2 s, each in its own process (one embedded server and one service per run).
  for (const kind of ['match', 'booking']) {
    const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), kind, '--quick'], { stdio: 'inherit' });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
  process.exit(0);
}
const arg = (name: string, fallback: number) => { const at = process.argv.indexOf(name); return at > 0 ? Number(process.argv[at + 1]) : fallback; };
const SECONDS = arg('--seconds', quick ? 2 : 10);
const CONNECTIONS = arg('--connections', what === 'match' ? 50 : 20);
const profileEcho = process.argv.includes('--profile-echo');
const allocations = process.argv.includes('--allocations');
const profileOut = process.argv.includes('--profile-out') ? process.argv[process.argv.indexOf('--profile-out') + 1] : undefined;

/** CPU ms of the postmaster and all its children (backends, WAL writer, checkpointer…), live or exited, from /proc. */
async function postgresCpuMs(postmasterPid: number): Promise<number> {
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // The postmaster's cutime and cstime hold its reaped children's CPU (autovacuum workers come and
      // go during a run): without them a worker exiting in the window made the total go down.
      if (Number(entry) === postmasterPid) total += ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / 100;
      else if (Number(fields[1]) === postmasterPid) total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch { /* gone */ }
  }
  return total;
}

const logger = productionLogger();

const dataDir = await mkdtemp(path.join(tmpdir(), 'snp-profile-'));
await chmod(dataDir, 0o755);
const server = await startEmbeddedPostgres({
  dataDir, persistent: false,
  settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all', track_wal_io_timing: 'on' },
});
const closers: (() => Promise<unknown>)[] = [() => rm(dataDir, { recursive: true, force: true }), () => server.stop()];
try {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  closers.push(() => admin.end());
  await migrate(admin, await readMigrations());
  await admin.query('create extension if not exists pg_stat_statements');
  // An experiment on the schema or the server's settings, measured against a run without it (`--sql 'drop index …'`).
  const experiment = process.argv.includes('--sql') ? process.argv[process.argv.indexOf('--sql') + 1] : undefined;
  if (experiment !== undefined) {
    for (const statement of experiment.split(';').map((x) => x.trim()).filter((x) => x !== '')) await admin.query(statement);
    await admin.query('select pg_reload_conf()');
  }
  const plain = openDatabase(server.url, { max: 4, applicationName: 'profile-setup' });
  closers.push(() => plain.close());

  let territories: string[];
  let bodies: unknown[];
  if (what === 'match') {
    const dataset = await generateDataset(plain.db, { territories: 20, professionals: 2_000, slots: 20_000 });
    territories = dataset.territoryIds;
    bodies = randomQueries(dataset, 5_000);
  } else {
    // Two measured runs of SECONDS each on slots of their own: 800 × 96 leaves 37,400 a run
    // (400 left 18,200, which a run at 1,860 bookings/s used up, then re-booked as 409s).
    const slots = await createBookableSlots(plain.db, quick ? 400 : 800, 96);
    // Past bookings, as bench/booking-http.ts has them (--history 0: empty tables).
    const history = await createClient(plain.db, { role: 'regulator', territories: [BENCH_TERRITORY], name: 'past bookings' });
    await createBookingHistory(plain.db, history.id, arg('--history', quick ? 5_000 : 100_000));
    territories = [BENCH_TERRITORY];
    const patient = { name: 'J. D.', phone: '+33 6 12 34 56 78', age: 34, sex: 'female' };
    bodies = slots.map((slotId) => ({ slotId, patient }));
  }
  const service = await startService(loadConfig({
    DATABASE_URL: server.url, PORT: '0', LOG_LEVEL: 'info', SEED_DEMO: 'false', NODE_ENV: 'production',
    DB_POOL_MAX: '20', RATE_LIMIT_PER_MINUTE: '1000000',
      // BOOKING_BATCH_MAX=1 in the environment: each booking alone (the comparison without batching).
      BOOKING_BATCH_MAX: process.env.BOOKING_BATCH_MAX,
  }), logger);
  closers.push(() => service.close());
  const { token } = await createClient(plain.db, { role: 'regulator', territories, name: 'profile regulator' });
  const job = { url: `${service.url}/v1/${what === 'match' ? 'match' : 'bookings'}`, connections: CONNECTIONS, headers: { authorization: `Bearer ${token}` }, idempotent: what === 'booking' };
  // Warm-up: JIT, prepared statements on every pooled connection.
  const warm = what === 'booking' ? 2_000 : bodies.length;
  await load({ ...job, durationSeconds: 2, bodies: bodies.slice(0, warm) });
  const measured = what === 'booking' ? bodies.slice(warm) : bodies;
  const profiledBodies = what === 'booking' ? measured.slice(0, measured.length / 2) : measured;

  // The same-run baseline of a match: a bare Fastify JSON echo of the same bodies, in this process too.
  let echo: { rps: number; p99: number; cpuUs: number } | undefined;
  const echoLines: string[] = [];
  if (what === 'match') {
    const app = Fastify({ logger: false });
    app.post('/echo', async (request) => ({ echo: request.body }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    await load({ url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}/echo`, connections: CONNECTIONS, durationSeconds: 2, bodies });
    const before = process.cpuUsage();
    // --profile-echo: the echo's run is profiled too (its figures then carry the profiler's cost), to set its concerns beside the match's.
    const stopEcho = profileEcho ? await startProfiling() : undefined;
    const r = await load({ url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}/echo`, connections: CONNECTIONS, durationSeconds: SECONDS, bodies });
    const echoProfile = await stopEcho?.();
    const used = process.cpuUsage(before);
    echo = { rps: r.requestsPerSecond, p99: r.p99, cpuUs: (used.user + used.system) / r.total };
    if (echoProfile !== undefined) {
      if (profileOut !== undefined) await writeFile(profileOut.replace(/(\.cpuprofile)?$/, '.echo.cpuprofile'), JSON.stringify(echoProfile));
      const e = breakdown(echoProfile);
      const perRequest = (ms: number) => ((ms * 1000) / r.total).toFixed(1).padStart(8);
      echoLines.push('', `echo, profiled: busy ${perRequest(e.busyMs).trim()} µs a request`, ...e.concerns.map((c) => `${c.concern.padEnd(44)} ${perRequest(c.ms)}`));
    }
  }
  // The figures without the profiler (it costs the service CPU), then the profiled run on other bodies.
  const unprofiledCpu = process.cpuUsage();
  const unprofiled = await load({ ...job, durationSeconds: SECONDS, bodies: what === 'booking' ? measured.slice(measured.length / 2) : measured });
  const unprofiledUsed = process.cpuUsage(unprofiledCpu);
  const unprofiledCpuUs = (unprofiledUsed.user + unprofiledUsed.system) / unprofiled.total;
  const postmasterPid = Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  await admin.query('select pg_stat_statements_reset(), pg_stat_reset(), pg_stat_reset_shared(\'wal\')');
  const walBefore = (await admin.query<{ lsn: string }>('select pg_current_wal_lsn() as lsn')).rows[0]!.lsn;
  const pgCpuBefore = await postgresCpuMs(postmasterPid);
  const cpuBefore = process.cpuUsage();
  const loadBefore = loadavg()[0]!;
  // --allocations: the profiled run also samples what it allocates (it slows the run down further).
  const stopAllocations = allocations ? await startAllocationSampling() : undefined;
  const stop = await startProfiling();
  const result = await load({ ...job, durationSeconds: SECONDS, bodies: profiledBodies });
  const profile = await stop();
  const allocated = await stopAllocations?.();
  const cpu = process.cpuUsage(cpuBefore);
  const pgCpuMs = (await postgresCpuMs(postmasterPid)) - pgCpuBefore;
  const loadAfter = loadavg()[0]!;
  if (profileOut !== undefined) await writeFile(profileOut, JSON.stringify(profile));

  const n = result.total;
  const serviceCpuMs = (cpu.user + cpu.system) / 1000;
  const us = (ms: number) => ((ms * 1000) / n).toFixed(1).padStart(8);
  const b = breakdown(profile);
  const lines = [
    `${what} over HTTP, ${CONNECTIONS} connections, ${SECONDS} s, no profiler: ${unprofiled.requestsPerSecond.toFixed(0)} req/s, p50 ${unprofiled.p50} ms, p99 ${unprofiled.p99} ms, `
      + `service CPU ${unprofiledCpuUs.toFixed(1)} µs per request, statuses ${JSON.stringify(unprofiled.statuses)}`,
    ...(echo === undefined ? [] : [`bare Fastify echo, same run: ${echo.rps.toFixed(0)} req/s, p99 ${echo.p99} ms, CPU ${echo.cpuUs.toFixed(1)} µs per request `
      + `-> match/echo: ${(100 * unprofiled.requestsPerSecond / echo.rps).toFixed(0)} % of its throughput, ${(100 * echo.cpuUs / unprofiledCpuUs).toFixed(0)} % per CPU-second`]),
    `profiled run: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, `
      + `statuses ${JSON.stringify(result.statuses)}; load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}`,
    `service CPU per request: ${us(serviceCpuMs).trim()} µs (profiled busy time ${us(b.busyMs).trim()} µs)`,
    '',
    'concern                                      µs/request   share of busy',
    ...b.concerns.map((c) => `${c.concern.padEnd(44)} ${us(c.ms)}   ${(100 * c.share).toFixed(1).padStart(5)} %`),
    '',
    'top functions by self time                                                       µs/request',
    ...b.topFunctions.map((f) => `${f.name.slice(0, 80).padEnd(80)} ${us(f.ms)}`),
    ...echoLines,
    ...(allocated === undefined ? [] : ['', `allocated, sampled: ${(allocated.bytes / result.total).toFixed(0)} bytes a request; the top sites, bytes a request`,
      ...allocated.sites.slice(0, 25).map((site) => `${site.name.slice(0, 80).padEnd(80)} ${(site.bytes / result.total).toFixed(0).padStart(8)}`)]),
  ];
  if (what === 'booking') {
    const walAfter = (await admin.query<{ lsn: string }>('select pg_current_wal_lsn() as lsn')).rows[0]!.lsn;
    const wal = (await admin.query<{ bytes: string }>('select pg_wal_lsn_diff($1, $2)::bigint as bytes', [walAfter, walBefore])).rows[0]!.bytes;
    const walStats = (await admin.query<{ wal_records: string; wal_fpi: string; wal_sync: string; wal_write: string; wal_sync_time: number }>('select wal_records, wal_fpi, wal_sync, wal_write, wal_sync_time from pg_stat_wal')).rows[0]!;
    const booked = result.statuses['201'] ?? 0;
    const statements = await admin.query<{ query: string; calls: string; rows: string; total_exec_time: number; total_plan_time: number; wal_bytes: string; toplevel: boolean }>(
      `select toplevel, calls, rows, total_exec_time, total_plan_time, wal_bytes, regexp_replace(left(query, 90), '\\s+', ' ', 'g') as query
         from pg_stat_statements where calls > $1 / 100 order by total_exec_time desc limit 25`, [booked]);
    const tables = await admin.query<{ relname: string; ins: string; upd: string; hot: string }>(
      `select relname, n_tup_ins as ins, n_tup_upd as upd, n_tup_hot_upd as hot from pg_stat_user_tables where n_tup_ins + n_tup_upd > 0 order by relname`);
    const indexes = await admin.query<{ relname: string; n: string }>(
      `select t.relname, count(*) as n from pg_index i join pg_class t on t.oid = i.indrelid join pg_namespace ns on ns.oid = t.relnamespace
        where ns.nspname = 'public' and t.relname in (select relname from pg_stat_user_tables where n_tup_ins + n_tup_upd > 0) group by t.relname order by t.relname`);
    const indexCount = new Map(indexes.rows.map((r) => [r.relname, r.n]));
    const per = (v: number | string) => (Number(v) / booked).toFixed(2);
    lines.push('',
      `PostgreSQL per booking (${booked} bookings): CPU ${per(pgCpuMs)} ms (all its processes; service ${per(serviceCpuMs)} ms), WAL ${per(wal)} bytes `
        + `(${per(walStats.wal_records)} records, ${per(walStats.wal_fpi)} full-page images), WAL fsyncs ${per(walStats.wal_sync)} (${(Number(walStats.wal_sync_time) / Number(walStats.wal_sync || 1)).toFixed(2)} ms each)`,
      '', 'rows written per booking (inserted / updated, HOT) and indexes of the table:',
      ...tables.rows.map((t) => `  ${t.relname.padEnd(22)} ins ${per(t.ins)}  upd ${per(t.upd)} (HOT ${per(t.hot)})  indexes ${indexCount.get(t.relname) ?? '?'}`),
      '', 'statements (pg_stat_statements, track=all), per booking: calls, µs executing, µs planning (with --sql "alter system set pg_stat_statements.track_planning = on"), WAL bytes',
      ...statements.rows.map((s) => `  ${s.toplevel ? 'top ' : 'nest'} ${per(s.calls).padStart(6)} ${(1000 * s.total_exec_time / booked).toFixed(0).padStart(6)} µs ${(1000 * s.total_plan_time / booked).toFixed(0).padStart(5)} µs ${per(s.wal_bytes).padStart(9)} B  ${s.query}`),
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  for (const close of closers.reverse()) await close().catch(() => {});
}
