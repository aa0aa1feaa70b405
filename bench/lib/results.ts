// The JSON a benchmark writes beside its human table: its figures, the
// baselines measured in the same run, the guarded ratios (bench/guard.ts), and
// the machine it ran on. Quick runs go to bench/results/<name>.json (ignored by
// git); full runs to bench/results/full/<name>.json, committed, from which
// scripts/bench-readme.ts writes the README's table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results');

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  node: string;
  postgres: string | null;
}

export interface BenchResults {
  bench: string;
  mode: 'quick' | 'full';
  /** The command that reproduces this run. */
  command: string;
  finishedAt: string;
  seconds: number;
  machine: Machine;
  /** Measured figures of the code under test (units in the names). */
  figures: Record<string, number>;
  /** The same-run baselines the figures are compared with. */
  baselines: Record<string, number>;
  /** Ratios (or, for memory and lag, absolute figures) the guard compares with bench/guard-thresholds.ts. */
  guarded: Record<string, number>;
}

const startedAt = performance.now();
const loadAtStart = loadavg();

/** The server's version string (e.g. "17.6"), or null when it cannot be asked. */
export async function postgresVersion(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

export function machineFacts(postgres: string | null): Machine {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    loadAverageAtStart: loadAtStart.map((l) => Math.round(l * 100) / 100),
    loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    postgres,
  };
}

/** Options of this run other than --quick (e.g. --baseline-layout), so that `command` reproduces it. */
function extraArgs(): string {
  const extra = process.argv.slice(2).filter((a) => a !== '--quick');
  return extra.length === 0 ? '' : ` ${extra.join(' ')}`;
}

/** Writes the run's JSON (BENCH_RESULTS_DIR overrides the directory) and says where. */
export function writeResults(bench: string, quick: boolean, parts: { postgres: string | null; figures: Record<string, number>; baselines: Record<string, number>; guarded: Record<string, number> }): string {
  const mode = quick ? 'quick' : 'full';
  const results: BenchResults = {
    bench, mode,
    command: `node --expose-gc --import tsx bench/${bench}.ts${quick ? ' --quick' : ''}${extraArgs()}`,
    finishedAt: new Date().toISOString(),
    seconds: Math.round((performance.now() - startedAt) / 100) / 10,
    machine: machineFacts(parts.postgres),
    figures: parts.figures, baselines: parts.baselines, guarded: parts.guarded,
  };
  const dir = process.env.BENCH_RESULTS_DIR ?? (quick ? RESULTS_DIR : path.join(RESULTS_DIR, 'full'));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${bench}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`results: ${path.relative(process.cwd(), file)}\n`);
  return file;
}
