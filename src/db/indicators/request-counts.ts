// Requests of a period counted by origin, orientation and outcome in one
// grouped scan; the use case pivots the (few) groups.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { requestsOfPeriod, type PeriodScope } from './scope.js';
import type { RequestGroup } from '../../usecases/indicator-store.js';

export type { RequestGroup };

export async function countRequests(db: Kysely<Database>, scope: PeriodScope): Promise<RequestGroup[]> {
  const result = await sql<RequestGroup>`
    with scoped as (${requestsOfPeriod(scope)})
    select origin, coalesce(orientation, 'none') as orientation, outcome, count(*)::int as count
      from scoped
     group by 1, 2, 3
     order by 1, 2, 3`.execute(db);
  return result.rows;
}
