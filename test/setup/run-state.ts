// Where a tap run's shared PostgreSQL is described. tap runs its `before`
// script in a child process that must exit before the test files start, so it
// cannot set their environment; what they share is their parent, the tap
// runner. Each run therefore gets a directory named after the runner's pid
// (plus its start time, so that a recycled pid is not taken for a live run).
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const RUNS_DIR = path.join(tmpdir(), 'snp-match-test-runs');

/** Written by the before script as soon as the keeper is spawned. */
export interface RunOwner { runnerPid: number; runnerStart: string | null; keeperPid: number }

/** Written by the keeper once the server and the migrated template are ready. */
export interface RunState extends RunOwner {
  /** A superuser connection string to the server's maintenance database. */
  adminUrl: string;
  /** The migrated database every test database is cloned from. */
  template: string;
  /** Every database of the run is named with it, so the keeper can drop leftovers. */
  prefix: string;
  /** True when the keeper started the server (false: DATABASE_URL). */
  embedded: boolean;
}

export const runDir = (runnerPid: number): string => path.join(RUNS_DIR, String(runnerPid));
export const ownerFile = (dir: string): string => path.join(dir, 'owner.json');
export const stateFile = (dir: string): string => path.join(dir, 'state.json');

export function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** The start time of a process (Linux /proc), to tell it from a later one with the same pid. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number, start: string | null = null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return start === null || processStart(pid) === null || processStart(pid) === start;
}

/** The shared server of the tap run this process belongs to, if there is one. */
export function currentRunState(): RunState | null {
  const state = readJson<RunState>(stateFile(runDir(process.ppid)));
  if (state === null || state.runnerPid !== process.ppid || !isAlive(state.keeperPid)) return null;
  return state;
}

/** The tap run's compiled build of src (test/setup/build.ts), or null outside a tap run or if it was not built. */
export function currentBuild(): string | null {
  if (currentRunState() === null) return null;
  const dir = path.join(runDir(process.ppid), 'build');
  return existsSync(path.join(dir, 'dist', 'main.js')) ? dir : null;
}
