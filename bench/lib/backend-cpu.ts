// CPU time spent by the PostgreSQL backends of the current database, read from
// /proc (a local server only; undefined otherwise). On a shared machine wall
// time depends on everyone's load; the server's CPU per query does not.
import { readFile } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';

const TICKS_PER_SECOND = 100; // Linux USER_HZ

async function cpuMsOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state is field 3, utime 14 and stime 15 (1-based).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU ms of every backend connected to this database now, by pid. */
export async function backendCpu(db: Kysely<any>): Promise<Map<number, number> | undefined> {
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
  const result = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = await cpuMsOf(pid);
    if (ms === undefined) return undefined;
    result.set(pid, ms);
  }
  return result;
}

/** CPU ms the backends spent between two readings (backends that came or went count from zero). */
export function cpuSpent(before: Map<number, number> | undefined, after: Map<number, number> | undefined): number | undefined {
  if (before === undefined || after === undefined) return undefined;
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
