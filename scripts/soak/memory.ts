// Resident memory of each instance over time, read from ps (the metrics
// listener is optional; ps always answers).
import { execFileSync } from 'node:child_process';

export interface MemorySample { atSeconds: number; rssMb: (number | null)[] }

export function sampleRss(pids: (number | undefined)[]): (number | null)[] {
  const alive = pids.filter((p): p is number => p !== undefined);
  if (alive.length === 0) return pids.map(() => null);
  let out = '';
  try { out = execFileSync('ps', ['-o', 'pid=,rss=', '-p', alive.join(',')], { encoding: 'utf8' }); } catch { /* some gone */ }
  const rss = new Map(out.trim().split('\n').filter(Boolean).map((line) => {
    const [pid, kb] = line.trim().split(/\s+/).map(Number);
    return [pid!, kb! / 1024] as const;
  }));
  return pids.map((pid) => (pid === undefined ? null : rss.get(pid) ?? null));
}
