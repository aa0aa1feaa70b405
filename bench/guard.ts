// The benchmark guard (`npm run bench:guard`, run by .ci/run): runs the quick
// mode of each guarded benchmark, reads the JSON it writes, and holds its
// same-run ratios to bench/guard-thresholds.ts. A benchmark with a value beyond
// its limit is run once more, so that noise alone does not fail CI; if it is
// beyond again, the guard fails, naming the metric, the value, the limit and
// the command that reproduces it. Prints the guard table either way.
//
//   node --import tsx bench/guard.ts                         # every guarded benchmark, quick
//   node --import tsx bench/guard.ts --only match-http       # some of them (comma-separated)
//   node --import tsx bench/guard.ts --retries 0             # no second chance (the slowdown test)
//   node --import tsx bench/guard.ts --args booking-http="--seconds 1"   # extra arguments for one benchmark
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { THRESHOLDS, type BenchName, type Threshold } from './guard-thresholds.js';
import { RESULTS_DIR, type BenchResults } from './lib/results.js';
import { table } from './lib/stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Verdict { threshold: Threshold; value: number; ok: boolean; attempts: number }

export function evaluate(threshold: Threshold, guarded: Record<string, number>): { value: number; ok: boolean } {
  const value = guarded[threshold.metric];
  if (value === undefined || !Number.isFinite(value)) return { value: NaN, ok: false };
  return { value, ok: threshold.kind === 'min' ? value >= threshold.limit : value <= threshold.limit };
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const extraArgs = new Map<string, string[]>();
for (let i = 0; i < process.argv.length; i++) {
  if (process.argv[i] !== '--args') continue;
  const [bench, ...rest] = (process.argv[i + 1] ?? '').split('=');
  extraArgs.set(bench!, rest.join('=').split(' ').filter((a) => a !== ''));
}

function reproduce(bench: BenchName): string {
  return ['node --expose-gc --import tsx', `bench/${bench}.ts`, '--quick', ...(extraArgs.get(bench) ?? [])].join(' ');
}

/** Runs one benchmark's quick mode in its own process and returns its guarded figures (undefined if it crashed). */
function runBench(bench: BenchName): Record<string, number> | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'snp-guard-'));
  try {
    process.stdout.write(`\n=== ${reproduce(bench)}\n`);
    const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(here, `${bench}.ts`), '--quick', ...(extraArgs.get(bench) ?? [])],
      { stdio: 'inherit', env: { ...process.env, BENCH_RESULTS_DIR: dir } });
    if (result.status !== 0) {
      process.stdout.write(`!!! ${bench} exited with ${result.status ?? result.signal}\n`);
      return undefined;
    }
    const file = path.join(dir, `${bench}.json`);
    // Kept as the latest quick run, unless deliberately slowed (the guard's own test).
    if (process.env.SNP_DEBUG_SLOWDOWN === undefined || process.env.SNP_DEBUG_SLOWDOWN === '') {
      mkdirSync(RESULTS_DIR, { recursive: true });
      copyFileSync(file, path.join(RESULTS_DIR, `${bench}.json`));
    }
    return (JSON.parse(readFileSync(file, 'utf8')) as BenchResults).guarded;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): number {
  const only = option('only')?.split(',');
  const retries = Number(option('retries') ?? 1);
  const benches = [...new Set(THRESHOLDS.map((t) => t.bench))].filter((b) => only === undefined || only.includes(b));
  const verdicts: Verdict[] = [];
  for (const bench of benches) {
    const thresholds = THRESHOLDS.filter((t) => t.bench === bench);
    let attempts = 0;
    let outcome: { threshold: Threshold; value: number; ok: boolean }[] = [];
    do {
      attempts++;
      const guarded = runBench(bench) ?? {};
      outcome = thresholds.map((t) => ({ threshold: t, ...evaluate(t, guarded) }));
      const beyond = outcome.filter((o) => !o.ok);
      if (beyond.length === 0) break;
      process.stdout.write(`--- ${bench}: ${beyond.map((o) => `${o.threshold.metric} = ${fmtValue(o.value)}`).join(', ')} beyond the limit (attempt ${attempts})\n`);
    } while (attempts <= retries);
    verdicts.push(...outcome.map((o) => ({ ...o, attempts })));
  }

  process.stdout.write('\nbench guard (quick mode, same-run ratios; limits and reasons in bench/guard-thresholds.ts)\n\n');
  table([
    ['metric', 'value', 'threshold', 'verdict', 'runs'],
    ...verdicts.map((v) => [v.threshold.label, fmtValue(v.value), `${v.threshold.kind === 'min' ? '≥' : '≤'} ${v.threshold.limit}`, v.ok ? 'pass' : 'FAIL', v.attempts]),
  ]);
  // One line per guarded value, machine-readable, for collecting repeated runs.
  process.stdout.write(`guard-values ${JSON.stringify(Object.fromEntries(verdicts.map((v) => [v.threshold.metric, round(v.value)])))}\n`);
  const failed = verdicts.filter((v) => !v.ok);
  for (const f of failed) {
    process.stdout.write(`\nBENCH GUARD FAILED: ${f.threshold.label} (${f.threshold.metric}) = ${fmtValue(f.value)}, `
      + `threshold ${f.threshold.kind === 'min' ? '≥' : '≤'} ${f.threshold.limit}, after ${f.attempts} run(s). Reproduce: ${reproduce(f.threshold.bench)}\n`);
  }
  return failed.length === 0 ? 0 : 1;
}

const round = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)) : null);
const fmtValue = (x: number) => (Number.isFinite(x) ? String(round(x)) : 'missing');

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(main());
}
