// On-call band fill rate per profession: of the band slots starting in the
// period and offered (not blocked), the share booked now. A cancelled booking
// frees its slot, so it does not count; a no-show's slot stays booked.
// Counted per professional first (index scan of slots_band_by_start), then
// joined to the few professionals for their profession.
import { sql, type Kysely } from 'kysely';
import type { Profession } from '../../core/domain.js';
import type { Database } from '../schema.js';
import type { PeriodScope } from './scope.js';
import type { FillRate } from '../../usecases/indicator-store.js';

export type { FillRate };

interface Row { profession: Profession; band_slots: number; booked_slots: number; rate: string | null }

export async function fillRates(db: Kysely<Database>, scope: PeriodScope): Promise<FillRate[]> {
  const result = await sql<Row>`
    with per_professional as (
      select professional_id,
             count(*) filter (where status <> 'blocked') as offered,
             count(*) filter (where status = 'booked') as booked
        from slots
       where territory_id = ${scope.territoryId} and band_id is not null
         and starts_at >= ${scope.start} and starts_at < ${scope.end}
       group by professional_id
    )
    select p.profession, sum(pp.offered)::int as band_slots, sum(pp.booked)::int as booked_slots,
           round(sum(pp.booked) / nullif(sum(pp.offered), 0), 4) as rate
      from per_professional pp join professionals p on p.id = pp.professional_id
     group by p.profession
     order by p.profession`.execute(db);
  return result.rows.map((r) => ({ profession: r.profession, bandSlots: r.band_slots, bookedSlots: r.booked_slots, rate: r.rate === null ? null : Number(r.rate) }));
}
