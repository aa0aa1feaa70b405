// Runs whose tap runner is gone (killed before its after script) are cleaned
// up by the next run: their keeper normally notices by itself within a
// second; if it was killed too, its PostgreSQL is stopped here.
import { readdir, readFile, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { isAlive, ownerFile, readJson, RUNS_DIR, stateFile, type RunOwner, type RunState } from './run-state.js';
import { dropDatabasesNamed } from './template.js';

export async function sweepStaleRuns(): Promise<void> {
  let names: string[];
  try {
    names = await readdir(RUNS_DIR);
  } catch {
    return;
  }
  for (const name of names) {
    const dir = path.join(RUNS_DIR, name);
    const owner = readJson<RunOwner>(ownerFile(dir));
    if (owner === null) {
      // A before script that died before spawning anything: only a directory to remove.
      if (!isAlive(Number(name))) await rm(dir, { recursive: true, force: true });
      continue;
    }
    if (isAlive(owner.runnerPid, owner.runnerStart)) continue;
    if (isAlive(owner.keeperPid)) continue; // it is cleaning up by itself
    await stopPostmaster(path.join(dir, 'data', 'pg'));
    const state = readJson<RunState>(stateFile(dir));
    if (state !== null && !state.embedded) await dropDatabasesNamed(state.adminUrl, state.prefix).catch(() => {});
    // The keeper's cluster lives elsewhere (tmpfs), linked as `data`.
    const data = await realpath(path.join(dir, 'data')).catch(() => null);
    if (data !== null && data !== path.join(dir, 'data')) await rm(data, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
}

async function stopPostmaster(pgData: string): Promise<void> {
  let pid: number;
  try {
    pid = Number((await readFile(path.join(pgData, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGQUIT'); // immediate shutdown: the data is thrown away anyway
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}
