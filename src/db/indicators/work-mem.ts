// A year of a territory is ~100,000 requests and bookings: the hash tables of
// an indicator query outgrow PostgreSQL's default work_mem (4 MB) and spill to
// disk. Raised for that one read-only transaction only.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.js';

export const INDICATOR_WORK_MEM = '64MB';

export function withWorkMem<T>(db: Kysely<Database>, run: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().setAccessMode('read only').execute(async (trx) => {
    await sql`select set_config('work_mem', ${INDICATOR_WORK_MEM}, true)`.execute(trx);
    return run(trx);
  });
}
