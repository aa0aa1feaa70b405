// PostgreSQL refuses to run as root: a root process runs it as the `postgres`
// user (created if missing). That user must be able to enter every directory
// above its data and its binaries; a root-owned 0700 parent is the usual trap.
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DataDirProblem } from './data-dir-problem.js';

const run = promisify(execFile);

export interface RunAs { uid: number; gid: number }

/** Who postgres runs as: null for this process's user, the `postgres` user when we are root. */
export async function postgresUser(): Promise<RunAs | null> {
  if (userInfo().uid !== 0) return null;
  const existing = await lookup();
  if (existing !== null) return existing;
  try {
    await run('groupadd', ['postgres']).catch(() => {});
    await run('useradd', ['-g', 'postgres', 'postgres']);
  } catch (error) {
    throw new DataDirProblem(`running as root, PostgreSQL needs a \`postgres\` user and creating it failed (${(error as Error).message.split('\n')[0]}); create one or run as a non-root user`, 1);
  }
  const created = await lookup();
  if (created === null) throw new DataDirProblem('running as root, PostgreSQL needs a `postgres` user and none could be found', 1);
  return created;
}

async function lookup(): Promise<RunAs | null> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

/** Throws, naming the directory and the fix, when `user` cannot enter `target` or one of its parents. */
export async function assertEnterable(user: RunAs, target: string, what: string): Promise<void> {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const dir = path.sep + parts.slice(0, i).join(path.sep);
    let info;
    try {
      info = await stat(dir);
    } catch {
      return; // not created yet: we create it, enterable
    }
    const bit = info.uid === user.uid ? 0o100 : info.gid === user.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      throw new DataDirProblem(
        `the postgres user (uid ${user.uid}) cannot enter ${dir}, above ${what} ${path.resolve(target)}: ` +
        `allow it (chmod o+x ${dir}), or move ${what} out of it, or run as a non-root user`, 1);
    }
  }
}
