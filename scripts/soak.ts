// Soak: several real service processes on one PostgreSQL under a steady mixed
// load (matches, holds, bookings, cancellations, and the professionals' pushes
// over WebSocket) for a given time; prints throughput, p50/p99 per operation,
// errors and memory over time, then checks that the indexes, PostgreSQL, the
// clients' acknowledgements and the pushes all agree. Not part of `npm test`.
//
//   node --import tsx scripts/soak.ts --minutes 10 --instances 3 --rate 40
//
// Its PostgreSQL is an embedded one of its own in a temporary directory (fsync
// off, like the test clusters): the soak is about staying correct and stable
// over time, not about disk throughput.
import { openDatabase } from '../src/db/database.js';
import { fmt, summarise, table } from '../bench/lib/stats.js';
import { startCluster } from './harness/cluster.js';
import { ownedPostgres } from './harness/owned-postgres.js';
import { parseArgs } from './soak/args.js';
import { checkConsistency } from './soak/consistency.js';
import { createDataset } from './soak/dataset.js';
import { connectDevices } from './soak/devices.js';
import { sampleRss, type MemorySample } from './soak/memory.js';
import { runOperation, type Ledger, type OperationName, type OperationStats } from './soak/operations.js';

const MIX: [OperationName, number][] = [['match', 45], ['book', 25], ['hold', 15], ['cancel', 15]];
const MAX_IN_FLIGHT = 256;

const options = parseArgs(process.argv.slice(2));
const teardowns: (() => unknown)[] = [];
const harness = { teardown: (fn: () => unknown) => { teardowns.push(fn); } };
const say = (line: string) => process.stdout.write(`${line}\n`);

try {
  const pg = await ownedPostgres(harness);
  const handle = openDatabase(pg.url, { max: 4, applicationName: 'snp-soak' });
  harness.teardown(() => handle.close());
  const dataset = await createDataset(handle.db, options.professionals);
  const cluster = await startCluster(harness, { databaseUrl: pg.url, instances: options.instances });
  const devices = await connectDevices(dataset.professionals, cluster.instances);
  harness.teardown(() => devices.stop());
  say(`soak: ${options.instances} instances, ${options.rate} operations/s for ${options.minutes} min; ${options.professionals} professionals `
    + `(one device each on a socket), ${dataset.slots} slots; mix ${MIX.map(([n, w]) => `${n} ${w}%`).join(', ')}`);

  const ledger: Ledger = { live: new Map(), created: new Map(), cancelled: new Map() };
  const stats = new Map<OperationName, OperationStats>(MIX.map(([name]) => [name, { latencies: [], statuses: new Map(), errors: [], retries: 0 }]));
  const memory: MemorySample[] = [];
  const startedAt = performance.now();
  const endAt = startedAt + options.minutes * 60_000;
  let inFlight = 0;
  let skipped = 0;
  let started = 0;
  const pending = new Set<Promise<void>>();

  const choose = (): OperationName => {
    let r = Math.random() * 100;
    for (const [name, weight] of MIX) if ((r -= weight) < 0) return name;
    return 'match';
  };
  let lastReport = startedAt;
  let doneAtLastReport = 0;
  const completed = () => [...stats.values()].reduce((n, s) => n + [...s.statuses.values()].reduce((a, b) => a + b, 0), 0);
  const report = () => {
    const now = performance.now();
    const rss = sampleRss(cluster.instances.map((i) => i.pid));
    memory.push({ atSeconds: Math.round((now - startedAt) / 1000), rssMb: rss });
    const done = completed();
    const rate = now > lastReport ? (done - doneAtLastReport) / ((now - lastReport) / 1000) : 0;
    say(`  t=${String(Math.round((now - startedAt) / 1000)).padStart(4)} s  ${fmt(rate)} ops/s done  `
      + `in flight ${inFlight}  RSS MB ${rss.map((r) => fmt(r ?? NaN, 0)).join(' / ')}  bookings live ${ledger.live.size}`);
    lastReport = now;
    doneAtLastReport = done;
  };
  const reporter = setInterval(report, 30_000);
  report();

  // Open loop: operations start on schedule whatever the latency, up to a cap.
  for (let next = performance.now(); next < endAt; next += 1000 / options.rate) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= MAX_IN_FLIGHT) { skipped++; continue; }
    const name = choose();
    // Regulators book directly, pharmacists hold first: a client may book the slot of its own live hold
    // by slotId, and one client doing both at once would race itself (a 409 on its hold that is no fault).
    const pool = name === 'book' ? dataset.requesters.slice(0, 2) : name === 'hold' ? dataset.requesters.slice(2) : dataset.requesters;
    const token = pool[started++ % pool.length]!.token;
    inFlight++;
    const op = runOperation(name, cluster.instances, token, ledger, stats.get(name)!)
      .catch((error: Error) => { stats.get(name)!.errors.push(`${name}: threw ${error.message}`); })
      .finally(() => { inFlight--; pending.delete(op); });
    pending.add(op);
  }
  await Promise.all(pending);
  clearInterval(reporter);
  memory.push({ atSeconds: Math.round((performance.now() - startedAt) / 1000), rssMb: sampleRss(cluster.instances.map((i) => i.pid)) });
  const seconds = (performance.now() - startedAt) / 1000;

  say('\nper operation (latency in ms from first request to last answer; match before book and hold included)');
  const rows: (string | number)[][] = [['operation', 'done', 'per s', 'p50', 'p99', 'max', 'answers', 'retried', 'errors']];
  for (const [name, s] of stats) {
    const summary = summarise(s.latencies);
    const answers = [...s.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status === -1 ? 'nothing-to-do' : status}×${n}`).join(' ');
    rows.push([name, summary.n, fmt(summary.n / seconds), fmt(summary.p50), fmt(summary.p99), fmt(summary.max), answers, s.retries, s.errors.length]);
  }
  table(rows);
  say(`started ${started} operations in ${fmt(seconds, 0)} s (${fmt(started / seconds)} /s); ${skipped} not started (over ${MAX_IN_FLIGHT} in flight)`);
  for (const s of stats.values()) for (const e of s.errors.slice(0, 5)) say(`  error: ${e}`);

  say('\nmemory (RSS, MB) per instance: first → last (max)');
  for (const [k, instance] of cluster.instances.entries()) {
    const series = memory.map((m) => m.rssMb[k]).filter((v): v is number => typeof v === 'number');
    say(`  ${instance.name}: ${fmt(series[0] ?? NaN, 0)} → ${fmt(series.at(-1) ?? NaN, 0)} (max ${fmt(Math.max(...series), 0)})`);
  }

  // Let the last changes and pushes settle, then check.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  say('\nconsistency');
  const checks = await checkConsistency(handle.db, cluster.instances, dataset.requesters[0]!.token, ledger, devices);
  for (const check of checks) say(`  ${check.ok ? 'ok ' : 'NOT'} ${check.name}: ${check.detail}`);
  const crashed = cluster.instances.filter((i) => i.exits.length > 0 || !i.running).length;
  const loggedErrors = cluster.instances.reduce((n, i) => n + i.unexpectedErrors().length, 0);
  say(`  ${crashed === 0 ? 'ok ' : 'NOT'} instances: ${crashed} crashed; ${loggedErrors} unexpected error log lines`);
  const errors = [...stats.values()].reduce((n, s) => n + s.errors.length, 0);
  process.exitCode = checks.every((c) => c.ok) && crashed === 0 && errors === 0 ? 0 : 1;
  say(process.exitCode === 0 ? '\nsoak passed' : '\nsoak FAILED');
} finally {
  for (const fn of teardowns.reverse()) await Promise.resolve(fn()).catch((error: Error) => say(`teardown: ${error.message}`));
}
