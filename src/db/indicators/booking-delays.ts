// How fast the requests of a period that needed an appointment got one.
//
// - Needing one: orientation 'book', from a commune of the territory
//   (out-of-territory requests carry no territory: never this CPTS's to book).
// - Answered: at least one booking of the request that was not cancelled
//   (a no-show was still an appointment offered in time), starting within 30
//   days of the request; its delay runs from the request's creation to the
//   earliest such appointment's start. The bound keeps the bookings read
//   proportional to the period, however much history follows it.
// - Within the maximum delay: the triage's max_delay_minutes, or 48 h when the
//   request carries none.
// Shares are of the requests needing an appointment; percentiles (continuous,
// interpolated) are of the answered ones, in minutes to a tenth.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { PeriodScope } from './scope.js';
import { withWorkMem } from './work-mem.js';
import type { BookingDelays } from '../../usecases/indicator-store.js';

export type { BookingDelays };

export const SNP_DELAY_MINUTES = 48 * 60;
/** An appointment more than this after its request does not answer it (SNP promises 48 h). */
export const ANSWER_WITHIN_DAYS = 30;

interface Row {
  to_book: number; booked: number; within_48h: number; within_max: number;
  share_48h: string | null; share_max: string | null; median: string | null; p90: string | null;
}

const DAY_MS = 86_400_000;
const asNumber = (value: string | null): number | null => (value === null ? null : Number(value));

export async function bookingDelays(db: Kysely<Database>, scope: PeriodScope): Promise<BookingDelays> {
  const { territoryId, start, end } = scope;
  // The first live appointment of each request, from the territory's bookings
  // starting in [period start, period end + 30 days): an appointment always
  // starts after its request was made (a slot cannot be booked once started),
  // so no answer within 30 days is missed.
  // Aggregating bookings by request first, then one hash join, is cheaper than
  // grouping the joined rows; delays are float8 (date_part), rounded at the end.
  const result = await withWorkMem(db, (trx) => sql<Row>`
    with needing as (
      select id, created_at, coalesce(max_delay_minutes, ${SNP_DELAY_MINUTES}) as max_delay
        from requests
       where territory_id = ${territoryId} and created_at >= ${start} and created_at < ${end} and orientation = 'book'
    ),
    firsts as (
      select request_id, min(starts_at) as first_start
        from bookings
       where territory_id = ${territoryId} and starts_at >= ${start} and starts_at < ${new Date(end.getTime() + ANSWER_WITHIN_DAYS * DAY_MS)}
         and request_id is not null and status <> 'cancelled'
       group by request_id
    ),
    -- One pass: unanswered requests have a null delay, which the aggregates skip.
    totals as (
      select count(*)::int as to_book,
             count(d.delay)::int as booked,
             count(*) filter (where d.delay <= ${SNP_DELAY_MINUTES})::int as within_48h,
             count(*) filter (where d.delay <= n.max_delay)::int as within_max,
             round(percentile_cont(0.5) within group (order by d.delay)::numeric, 1) as median,
             round(percentile_cont(0.9) within group (order by d.delay)::numeric, 1) as p90
        from needing n
        left join firsts f on f.request_id = n.id
        cross join lateral (select case when f.first_start - n.created_at <= ${`${ANSWER_WITHIN_DAYS} days`}::interval
                                        then date_part('epoch', f.first_start - n.created_at) / 60 end as delay) d
    )
    select to_book, booked, within_48h, within_max, median, p90,
           round(within_48h::numeric / nullif(to_book, 0), 4) as share_48h,
           round(within_max::numeric / nullif(to_book, 0), 4) as share_max
      from totals`.execute(trx));
  const row = result.rows[0]!;
  return {
    toBook: row.to_book, booked: row.booked, bookedWithin48h: row.within_48h, bookedWithinMaxDelay: row.within_max,
    shareWithin48h: asNumber(row.share_48h), shareWithinMaxDelay: asNumber(row.share_max),
    medianMinutes: asNumber(row.median), p90Minutes: asNumber(row.p90),
  };
}
