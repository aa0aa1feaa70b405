// Appointments of a territory scheduled in a period (by their start), by status:
// booked (upcoming or not yet recorded), honoured, no-show, cancelled; with the
// cancellation rate (of all) and the no-show rate (of those whose outcome is known).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { PeriodScope } from './scope.js';
import type { AppointmentCounts } from '../../usecases/indicator-store.js';

export type { AppointmentCounts };

interface Row { total: number; booked: number; honoured: number; no_show: number; cancelled: number; cancellation_rate: string | null; no_show_rate: string | null }

export async function countAppointments(db: Kysely<Database>, scope: PeriodScope): Promise<AppointmentCounts> {
  const result = await sql<Row>`
    with counts as (
      select count(*)::int as total,
             count(*) filter (where status = 'booked')::int as booked,
             count(*) filter (where status = 'honoured')::int as honoured,
             count(*) filter (where status = 'no-show')::int as no_show,
             count(*) filter (where status = 'cancelled')::int as cancelled
        from bookings
       where territory_id = ${scope.territoryId} and starts_at >= ${scope.start} and starts_at < ${scope.end}
    )
    select *, round(cancelled::numeric / nullif(total, 0), 4) as cancellation_rate,
              round(no_show::numeric / nullif(honoured + no_show, 0), 4) as no_show_rate
      from counts`.execute(db);
  const r = result.rows[0]!;
  const rate = (v: string | null) => (v === null ? null : Number(v));
  return {
    total: r.total, booked: r.booked, honoured: r.honoured, noShow: r.no_show, cancelled: r.cancelled,
    cancellationRate: rate(r.cancellation_rate), noShowRate: rate(r.no_show_rate),
  };
}
