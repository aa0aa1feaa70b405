// Which requests belong to a territory's period. A request from a commune
// outside every territory has no territory of its own (outcome
// out-of-territory): it counts for the territories of the client that sent it,
// so that a CPTS sees the demand it could not serve.
import { sql, type RawBuilder } from 'kysely';
import type { PeriodScope } from '../../usecases/indicator-store.js';

export type { PeriodScope };

/** A CTE body: id, origin, orientation, outcome, created_at. */
export function requestsOfPeriod(scope: PeriodScope): RawBuilder<unknown> {
  const { territoryId, start, end } = scope;
  return sql`
    select r.id, r.origin, r.orientation, r.outcome, r.created_at
      from requests r
     where r.territory_id = ${territoryId} and r.created_at >= ${start} and r.created_at < ${end}
    union all
    select r.id, r.origin, r.orientation, r.outcome, r.created_at
      from requests r join api_clients c on c.id = r.client_id
     where r.territory_id is null and r.created_at >= ${start} and r.created_at < ${end}
       and ${territoryId} = any (c.territories)`;
}
