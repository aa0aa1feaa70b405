// Bookings nobody acknowledged in time: after the territory's
// ack_deadline_seconds the territory's coordinators (stream territory:<id>) and
// the requester (stream client:<id>) get a booking.unacknowledged event, and
// the booking is flagged escalated_at. Every instance runs the job; exactly one
// escalates a booking: the row is locked with SKIP LOCKED, the condition is
// re-checked on the locked row, and escalated_at is set in the same statement.
// One booking per statement keeps the stream lock order of sql/007.
import type pg from 'pg';
import type { Logger } from 'pino';

const ESCALATE_ONE = `
with due as (
  select b.id, b.territory_id, b.client_id, b.created_at, t.ack_deadline_seconds
    from bookings b join territories t on t.id = b.territory_id
   where b.status = 'booked' and b.acked_at is null and b.escalated_at is null
     and b.created_at <= $1::timestamptz - interval '30 seconds' -- the smallest deadline: bounds the index scan
     and b.created_at <= $1::timestamptz - make_interval(secs => t.ack_deadline_seconds)
   order by b.created_at
   limit 1
   for update of b skip locked
), flagged as (
  update bookings b set escalated_at = now() from due where b.id = due.id
  returning b.id, due.territory_id, due.client_id, due.created_at, due.ack_deadline_seconds
), booking as (
  -- What the professional was sent, without the patient's details.
  select (e.payload -> 'booking') #- '{patient}' as view from events e join flagged f on e.booking_id = f.id
   where e.recipient_kind = 'professional' and e.type = 'booking.created'
   order by e.id limit 1
)
insert into events (recipient_kind, recipient_id, type, booking_id, payload)
select r.kind, r.id, 'booking.unacknowledged', f.id,
       jsonb_build_object('booking', coalesce((select view from booking), jsonb_build_object('id', f.id)),
                          'bookedAt', f.created_at, 'ackDeadlineSeconds', f.ack_deadline_seconds)
  from flagged f
  cross join lateral (values (1, 'territory', f.territory_id), (2, 'client', f.client_id::text)) r(ord, kind, id)
 order by r.ord
returning booking_id`;

/** Escalates every booking overdue at `now`, one per statement; returns their ids. */
export async function escalateOverdue(pool: pg.Pool, now: Date, max = 1_000): Promise<string[]> {
  const escalated: string[] = [];
  while (escalated.length < max) {
    const result = await pool.query<{ booking_id: string }>({ name: 'snp-escalate-one', text: ESCALATE_ONE, values: [now.toISOString()] });
    const id = result.rows[0]?.booking_id;
    if (id === undefined) break;
    escalated.push(id);
  }
  return escalated;
}

export interface EscalationJob {
  run(): Promise<void>;
  stop(): Promise<void>;
}

export function startEscalation(pool: pg.Pool, logger: Logger, options: { everyMs?: number; now?: () => number } = {}): EscalationJob {
  const now = options.now ?? Date.now;
  let running: Promise<void> | null = null;
  const run = (): Promise<void> => {
    running ??= escalateOverdue(pool, new Date(now()))
      .then((ids) => { if (ids.length > 0) logger.warn({ bookings: ids }, 'unacknowledged bookings escalated'); })
      .catch((error: Error) => logger.warn({ err: error }, 'escalation pass failed; will retry'))
      .finally(() => { running = null; });
    return running;
  };
  const timer = setInterval(() => void run(), options.everyMs ?? 5_000);
  return {
    run,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
