// Runs the load generator in a child process and returns its figures.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LoadResult { requestsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number; total: number }

const client = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-client.ts');

export async function load(job: { url: string; connections: number; durationSeconds: number; headers?: Record<string, string>; bodies: unknown[] }): Promise<LoadResult> {
  // The job (with thousands of bodies) goes through a file: too big for argv.
  const dir = await mkdtemp(path.join(tmpdir(), 'snp-load-'));
  const file = path.join(dir, 'job.json');
  await writeFile(file, JSON.stringify({ headers: {}, ...job }));
  try {
    return await new Promise((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', client, file], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
        if (error) reject(error);
        else resolve(JSON.parse(stdout) as LoadResult);
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
