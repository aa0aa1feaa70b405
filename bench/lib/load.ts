// Runs the load generator (bench/lib/load-client.ts) in a child process and returns its figures.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadResult } from './load-client.js';

export type { LoadJob, LoadResult };

const client = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-client.ts');

export async function load(job: LoadJob): Promise<LoadResult> {
  // A file, not argv: tens of thousands of bodies exceed an argument's size limit.
  const dir = await mkdtemp(path.join(tmpdir(), 'snp-load-'));
  const file = path.join(dir, 'job.json');
  await writeFile(file, JSON.stringify(job));
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', client, file], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
        if (error) reject(error);
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult);
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
