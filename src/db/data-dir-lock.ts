// One process owns the embedded PostgreSQL of a DATA_DIR: it holds DATA_DIR/snp-match.lock
// (its pid), starts or adopts the server and stops it at the end. A lock left by a dead
// process (kill -9) is stale and taken over. Several instances share a database through
// DATABASE_URL, never through one DATA_DIR.
import { readFileSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataDirProblem } from './data-dir-problem.js';

export const LOCK_FILE = 'snp-match.lock';

interface LockContent { pid: number; role: string; since: string; processStart: string | null }

export interface DataDirLock {
  release(): Promise<void>;
}

/** The live holder of the lock, if any. */
export async function lockHolder(root: string): Promise<LockContent | null> {
  let content: LockContent;
  try {
    content = JSON.parse(await readFile(path.join(root, LOCK_FILE), 'utf8'));
  } catch {
    return null;
  }
  return isAlive(content) ? content : null;
}

export async function lockDataDir(root: string, role: string): Promise<DataDirLock> {
  const file = path.join(root, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, role, since: new Date().toISOString(), processStart: processStart(process.pid) };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(file, JSON.stringify(mine) + '\n', { flag: 'wx', mode: 0o644 });
      return { release: () => releaseIfMine(file, mine) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DataDirProblem(`cannot write ${file} (${(error as NodeJS.ErrnoException).code}): DATA_DIR must be a directory this user can write`, 1);
      }
    }
    const holder = await lockHolder(root);
    if (holder !== null) {
      throw new DataDirProblem(
        `DATA_DIR ${root} is in use by snp-match ${holder.role} (pid ${holder.pid}, since ${holder.since}); ` +
        'an embedded database belongs to one service: stop that one, give this one another DATA_DIR, ' +
        'or run every instance on one PostgreSQL server with DATABASE_URL=postgres://user:password@host:5432/snp', 2);
    }
    // Stale (its process is gone) or half-written: take it over.
    await unlink(file).catch(() => {});
  }
  throw new DataDirProblem(`cannot take ${file}: other processes keep creating it`, 2);
}

async function releaseIfMine(file: string, mine: LockContent): Promise<void> {
  try {
    const current = JSON.parse(await readFile(file, 'utf8')) as LockContent;
    if (current.pid === mine.pid && current.since === mine.since) await unlink(file);
  } catch { /* already gone */ }
}

function isAlive(holder: LockContent): boolean {
  // In a container the service is pid 1 at every start: our own pid in the file is a previous run's.
  if (!Number.isInteger(holder.pid) || holder.pid <= 0 || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A reused pid: the process that holds it now started at another moment.
  const start = processStart(holder.pid);
  return holder.processStart === null || start === null || start === holder.processStart;
}

/** The process's start time in clock ticks since boot (Linux); null elsewhere. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces, so count after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
