// Runs the load generator (bench/lib/load-client.ts) in a child process and returns its figures.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { setPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadResult } from './load-client.js';

export type { LoadJob, LoadResult };

const here = path.dirname(fileURLToPath(import.meta.url));
const client = path.join(here, 'load-client.ts');

export async function load(job: LoadJob, options: ChildOptions = {}): Promise<LoadResult> {
  return runChild<LoadResult>(client, job, options);
}

export interface ChildOptions {
  /** The child's scheduling priority (`nice`, 0 to 19): a load generator standing in for another machine. */
  nice?: number;
}

/** Runs a bench/lib script in its own process with a JSON job; returns the JSON of its last output line. */
export async function runChild<T>(script: string, job: unknown, options: ChildOptions = {}): Promise<T> {
  // A file, not argv: tens of thousands of bodies exceed an argument's size limit.
  const dir = await mkdtemp(path.join(tmpdir(), 'snp-load-'));
  const file = path.join(dir, 'job.json');
  await writeFile(file, JSON.stringify(job));
  try {
    return await new Promise<T>((resolve, reject) => {
      const child = execFile(process.execPath, ['--import', 'tsx', path.resolve(here, script), file], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
        if (error) reject(error);
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as T);
      });
      if (options.nice !== undefined && child.pid !== undefined) setPriority(child.pid, options.nice);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
