// The sas_deliveries queue (sql/003_fhir_sas.sql): claiming due deliveries
// with a lease, and recording how an attempt went. Several instances share
// the work: FOR UPDATE SKIP LOCKED hands each row to one claimer, and the
// lease (next_attempt_at pushed past the attempt's timeout) keeps it theirs
// until they record the outcome, or until it lapses if they crashed.
import type pg from 'pg';

export type DeliveredState = 'booked' | 'cancelled' | 'fulfilled' | 'noshow';

export interface ClaimedDelivery {
  eventId: number;
  bookingId: string;
  state: DeliveredState;
  attempts: number;
  slotId: string;
  start: Date;
  end: Date;
  rpps: string;
  timeZone: string;
  territoryId: string;
  /** The CPTS's IDNST: the operator of changes made through our own channels. */
  organisationIdentifier: string | null;
  /** Set when the SAS made the booking: the identifier it knows it by. */
  sasIdentifier: { system: string; value: string } | null;
}

// A later state of a booking waits until every earlier one is accepted, so the
// SAS never sees "cancelled" before "booked".
const CLAIM = `
with due as (
  select d.event_id from sas_deliveries d
   where d.status = 'pending' and d.next_attempt_at <= now()
     and not exists (select 1 from sas_deliveries p
                      where p.booking_id = d.booking_id and p.status = 'pending' and p.event_id < d.event_id)
   order by d.event_id
   limit $1
   for update of d skip locked
), claimed as (
  update sas_deliveries d set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2::float8 / 1000)
    from due where d.event_id = due.event_id
  returning d.event_id, d.booking_id, d.state, d.attempts
)
select c.event_id, c.booking_id, c.state, c.attempts, b.slot_id, b.starts_at, b.ends_at, p.rpps,
       t.time_zone, t.id as territory_id, t.organisation_identifier, f.identifier_system, f.identifier_value
  from claimed c
  join bookings b on b.id = c.booking_id
  join professionals p on p.id = b.professional_id
  join territories t on t.id = b.territory_id
  left join fhir_appointments f on f.booking_id = c.booking_id
 order by c.event_id`;

interface ClaimRow {
  event_id: number; booking_id: string; state: DeliveredState; attempts: number; slot_id: string; starts_at: Date; ends_at: Date;
  rpps: string; time_zone: string; territory_id: string; organisation_identifier: string | null;
  identifier_system: string | null; identifier_value: string | null;
}

export async function claimDueDeliveries(pool: pg.Pool, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const result = await pool.query<ClaimRow>(CLAIM, [limit, leaseMs]);
  return result.rows.map((r) => ({
    eventId: Number(r.event_id), bookingId: r.booking_id, state: r.state, attempts: r.attempts, slotId: r.slot_id,
    start: r.starts_at, end: r.ends_at, rpps: r.rpps, timeZone: r.time_zone, territoryId: r.territory_id,
    organisationIdentifier: r.organisation_identifier,
    sasIdentifier: r.identifier_system !== null && r.identifier_value !== null ? { system: r.identifier_system, value: r.identifier_value } : null,
  }));
}

export async function markDelivered(pool: pg.Pool, eventId: number): Promise<void> {
  await pool.query(`update sas_deliveries set status = 'delivered', delivered_at = now(), last_error = null
                     where event_id = $1 and status = 'pending'`, [eventId]);
}

/** The attempt failed: the row is due again after `retryInMs`. */
export async function markFailed(pool: pg.Pool, eventId: number, retryInMs: number, error: string): Promise<void> {
  await pool.query(`update sas_deliveries set next_attempt_at = now() + make_interval(secs => $2::float8 / 1000), last_error = $3
                     where event_id = $1 and status = 'pending'`, [eventId, retryInMs, error.slice(0, 500)]);
}
