// Each bench guard can fail: the real benchmark, on the real service and a real
// PostgreSQL, run with a deliberate slowdown (SNP_DEBUG_SLOWDOWN) on the path a
// guard watches, makes `bench/guard.ts` fail on that guard, naming the metric,
// its value, the threshold and the command to reproduce. The smallest modes
// are used and no retry (a second failing run would prove nothing more), and
// the benchmarks run side by side, to keep the suite short. The slowdowns are
// far beyond the noise the thresholds allow for, so the failure is the
// slowdown's, not the machine's.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { THRESHOLDS } from './guard-thresholds.js';

// Four real benchmarks with their databases: on a loaded 2-core machine this took up to 5 minutes.
t.setTimeout(600_000);

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

interface GuardRun { code: number | null; output: string }

function guard(slowdown: string, args: string[]): Promise<GuardRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'bench/guard.ts', '--retries', '0', ...args],
      { cwd: root, env: { ...process.env, SNP_DEBUG_SLOWDOWN: slowdown }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : (error as { code?: number }).code ?? null, output: stdout + stderr }));
  });
}

const cases = [
  {
    name: 'a tail on one match call in 20 fails the in-process p99 / p50 guard; 2 kB more per indexed slot fails the RSS and index-bytes guards',
    slowdown: 'match:2ms/20,index-memory:2kB', args: ['--only', 'matcher-inprocess'], fails: ['inProcessMatchP99PerP50', 'rssMbPer100kSlots', 'indexBytesPerSlot'],
  },
  {
    name: 'a slower index fails index / SQL; a slower match route fails match / echo; a slower catch-up fails the lag guard',
    slowdown: 'match:3ms,match-api:200ms,index:4000ms', args: ['--only', 'match-http'],
    fails: ['indexPerSqlMatchLatencyP50', 'httpMatchPerEchoThroughput', 'commitToIndexLagP99Ms'],
  },
  {
    name: 'a slower booking fails booking / INSERT',
    slowdown: 'booking:700ms', args: ['--only', 'booking-http'], fails: ['bookingPerInsertThroughput'],
  },
  {
    name: 'a slower push fails commit→socket / NOTIFY→LISTEN',
    slowdown: 'push:3000ms', args: ['--only', 'push-latency', '--args', 'push-latency=--seconds 2 --professionals 20 --rate 50'],
    fails: ['commitToSocketP99PerNotifyP99'],
  },
];

// Started together: most of each run is waiting (PostgreSQL start, fsync, sockets).
const runs = cases.map((c) => guard(c.slowdown, c.args));

cases.forEach((c, i) => {
  t.test(c.name, async (t) => {
    const run = await runs[i]!;
    t.equal(run.code, 1, 'the guard exits non-zero');
    t.match(run.output, /metric\s+value\s+threshold\s+verdict/, 'the guard table is printed');
    for (const metric of c.fails) {
      const threshold = THRESHOLDS.find((th) => th.metric === metric)!;
      const line = run.output.split('\n').find((l) => l.startsWith(`BENCH GUARD FAILED: ${threshold.label} (${metric}) = `));
      t.ok(line, `${metric} fails`);
      // On a measured value beyond the limit, not on a benchmark that crashed or wrote nothing.
      t.notMatch(line ?? '', / = missing,/, `${metric} was measured`);
      t.match(line ?? '', `threshold ${threshold.kind === 'min' ? '≥' : '≤'} ${threshold.limit}`, 'the message names the threshold');
      t.match(line ?? '', /Reproduce: node --expose-gc --import tsx bench\/[a-z-]+\.ts --quick/, 'and how to reproduce');
    }
    if (t.passing()) t.comment(run.output.split('\n').filter((l) => l.startsWith('BENCH GUARD FAILED')).join('\n'));
    else t.comment(run.output);
  });
});
