// The two writes that take a slot: a hold and a booking. Each is ONE statement
// (so one implicit transaction and one round trip) whose heart is a
// conditional UPDATE of the slot row: PostgreSQL's row lock lets exactly one
// concurrent writer match, on any number of service instances; the others wait,
// re-check the condition on the new row version and match nothing. The
// partial unique index bookings_one_live_per_slot backs this up.
//
// "Free" includes a hold whose held_until has passed: expiry needs no process.
// Prepared by name: the plan is made once per pooled connection.
//
// Territories (migration 015): a client may take a slot offered in one of its
// territories, i.e. organised there or whose professional serves it. The
// booking belongs to the territory it was made in: the request's, when the
// request names one the slot is offered in and the client is scoped to; else
// the slot's own, when the client is scoped to it; else the first (by id) of
// the professional's other CPTS the client is scoped to.
//
// `deferNotify`: the statement sets snp.defer_notify so the slots trigger does
// not NOTIFY inside it (that would serialise commits, sql/004); the caller then
// announces the change after commit (src/db/slot-change-hint.ts). The `defer`
// CTE is the outer side of the final join so that it is always evaluated.
import type pg from 'pg';
import type { BookSlotParams, BookSlotResult, HoldSlotParams, HoldSlotResult, SlotClaimStore } from '../usecases/slot-claims.js';
import { streamKey } from './outbox/streams.js';

export type { HoldSlotParams, HoldSlotResult } from '../usecases/slot-claims.js';

// src/db/booking-batches.ts runs this same statement over a set of inputs:
// a change to the conditions or the rows written here goes there too
// (test/booking-batches.test.ts and the booking suites exercise both). The
// batch also writes what this statement leaves to the events triggers (the
// stream number, sql/007; the SAS delivery row, sql/003): a change to those
// triggers goes there too (sql/019).
const BOOK_SLOT = `
with defer as (
  select set_config('snp.defer_notify', $16, true) as v
), own_hold as (
  select h.id, h.expires_at from holds h
   where h.slot_id = $1 and h.client_id = $2 and h.released_at is null and h.booked_at is null
     and ($6::uuid is null or h.id = $6::uuid)
   order by h.expires_at desc limit 1
), claimed as (
  update slots s set status = 'booked', held_until = null
   where s.id = $1 and s.professional_id = $14::uuid
     and (s.territory_id = any($3::text[]) or exists (select 1 from professional_territories pt
          where pt.professional_id = s.professional_id and pt.territory_id = any($3::text[])))
     and date_trunc('milliseconds', s.starts_at) = $15::timestamptz and s.starts_at > now()
     and (s.status = 'free'
          or (s.status = 'held' and (s.held_until <= now()
              or exists (select 1 from own_hold o where o.expires_at > now()))))
  returning s.id, s.professional_id, s.territory_id, s.starts_at, s.ends_at, s.change_seq
), booking as (
  insert into bookings (id, slot_id, professional_id, territory_id, client_id, request_id, hold_id, starts_at, ends_at, patient)
  select $4::uuid, c.id, c.professional_id,
         coalesce(
           (select r.territory_id from requests r where r.id = $5::uuid and r.territory_id = any($3::text[])
               and (r.territory_id = c.territory_id or exists (select 1 from professional_territories pt
                    where pt.professional_id = c.professional_id and pt.territory_id = r.territory_id))),
           case when c.territory_id = any($3::text[]) then c.territory_id end,
           (select min(pt.territory_id) from professional_territories pt
             where pt.professional_id = c.professional_id and pt.territory_id = any($3::text[]))),
         $2, $5::uuid, (select id from own_hold), c.starts_at, c.ends_at, $7::jsonb
    from claimed c
  returning id, professional_id, hold_id
), used_hold as (
  update holds h set booked_at = now() from booking b where h.id = b.hold_id
), outbox as (
  insert into events (recipient_kind, recipient_id, type, booking_id, payload)
  select 'professional', b.professional_id::text, 'booking.created', b.id, $10::jsonb from booking b
  returning seq, payload::text as payload, (extract(epoch from created_at) * 1000)::float8 as created_ms
), audit as (
  insert into audit_log (client_id, request_id, action, entity, entity_id, details)
  select $2, $12, 'booking.create', 'booking', b.id::text, $11::jsonb from booking b
), idempotency as (
  insert into idempotency_keys (client_id, key, request_hash, response_status, response_body)
  select $2, $8, $9, 201, $13::jsonb from booking b
)
select b.id, b.hold_id, (select change_seq from claimed) as change_seq, o.seq as event_seq, o.payload as event_payload, o.created_ms as event_created_ms
  from defer left join booking b on true left join outbox o on true`;

/** The row a booking statement returns for each booking it made. */
export interface BookedRow {
  id: string | null;
  hold_id: string | null;
  change_seq: number | null;
  event_seq: number | null;
  event_payload: string | null;
  event_created_ms: number | null;
}

/** The outcome of one booking from its row; not claimed when the statement made no booking for it. */
export function bookedOutcome(row: BookedRow | undefined, professionalId: string): BookSlotResult {
  if (row?.id == null || row.change_seq === null || row.event_seq === null || row.event_payload === null || row.event_created_ms === null) {
    return { outcome: 'not-claimed' };
  }
  return {
    outcome: 'booked', holdId: row.hold_id, changeSeq: row.change_seq,
    event: { stream: streamKey({ kind: 'professional', id: professionalId }), seq: row.event_seq, type: 'booking.created', payloadJson: row.event_payload, createdAtMs: row.event_created_ms },
  };
}

export async function bookSlot(pool: pg.Pool, p: BookSlotParams): Promise<BookSlotResult> {
  try {
    const result = await pool.query<BookedRow>({
      name: 'snp-book-slot',
      text: BOOK_SLOT,
      values: [p.slotId, p.clientId, p.territories, p.bookingId, p.requestId, p.holdId, JSON.stringify(p.patient),
        p.idempotencyKey, p.requestHash, JSON.stringify(p.eventPayload), JSON.stringify(p.auditDetails), p.traceId,
        JSON.stringify(p.responseBody), p.professionalId, new Date(p.start).toISOString(), p.deferNotify ? 'on' : 'off'],
    });
    return bookedOutcome(result.rows[0], p.professionalId);
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    // The key was committed by a concurrent request (or earlier): the whole statement is undone.
    if (e.code === '23505' && e.constraint === 'idempotency_keys_pkey') return { outcome: 'key-taken' };
    // Belt and braces: a live booking already on the slot means it was not free.
    if (e.code === '23505' && e.constraint === 'bookings_one_live_per_slot') return { outcome: 'not-claimed' };
    if (e.code === '23503' && e.constraint === 'bookings_request_id_fkey') return { outcome: 'unknown-request' };
    // A server error's detail may quote the failing row, patient included: only
    // its code and constraint travel on (to the logs). Connection errors pass as they are.
    if ((error as { severity?: string }).severity === undefined) throw error;
    // The SQLSTATE stays on the error: a shutdown (57P01) is a retryable 503, not a 500.
    throw Object.assign(new Error(`booking statement failed: ${e.code ?? 'unknown'} ${e.constraint ?? ''}`.trim()), { code: e.code });
  }
}

const HOLD_SLOT = `
with defer as (
  select set_config('snp.defer_notify', $7, true) as v
), claimed as (
  update slots s set status = 'held', held_until = now() + make_interval(secs => t.hold_ttl_seconds)
    from territories t
   where s.id = $1 and t.id = s.territory_id and s.starts_at > now()
     and (s.territory_id = any($3::text[]) or exists (select 1 from professional_territories pt
          where pt.professional_id = s.professional_id and pt.territory_id = any($3::text[])))
     and (s.status = 'free' or (s.status = 'held' and s.held_until <= now()))
  returning s.id, s.held_until, s.change_seq
), hold as (
  insert into holds (id, slot_id, client_id, request_id, expires_at)
  select $4::uuid, c.id, $2, $5::uuid, c.held_until from claimed c
  returning id, expires_at
), audit as (
  insert into audit_log (client_id, request_id, action, entity, entity_id, details)
  select $2, $6, 'hold.create', 'hold', h.id::text, jsonb_build_object('slotId', $1::text, 'expiresAt', h.expires_at) from hold h
)
select h.id, h.expires_at, (select change_seq from claimed) as change_seq from defer left join hold h on true`;

export async function holdSlot(pool: pg.Pool, p: HoldSlotParams): Promise<HoldSlotResult> {
  try {
    const result = await pool.query<{ id: string | null; expires_at: Date | null; change_seq: number | null }>({
      name: 'snp-hold-slot',
      text: HOLD_SLOT,
      values: [p.slotId, p.clientId, p.territories, p.holdId, p.requestId, p.traceId, p.deferNotify ? 'on' : 'off'],
    });
    const row = result.rows[0];
    return row?.id == null || row.expires_at === null || row.change_seq === null ? { outcome: 'not-claimed' } : { outcome: 'held', expiresAt: row.expires_at, changeSeq: row.change_seq };
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23503' && e.constraint === 'holds_request_id_fkey') return { outcome: 'unknown-request' };
    throw error;
  }
}

const RELEASE_HOLD = `
with defer as (
  select set_config('snp.defer_notify', $4, true) as v
), released as (
  update holds set released_at = now()
   where id = $1 and client_id = $2 and released_at is null and booked_at is null
  returning slot_id, expires_at
), freed as (
  -- Only while this hold still holds the slot (an expired one may have been followed by another).
  update slots s set status = 'free', held_until = null from released r
   where s.id = r.slot_id and s.status = 'held' and s.held_until = r.expires_at
  returning s.id
), audit as (
  insert into audit_log (client_id, request_id, action, entity, entity_id, details)
  select $2, $3, 'hold.release', 'hold', $1::text, jsonb_build_object('slotId', r.slot_id) from released r
)
select (select count(*) from released)::int as released from defer`;

/** True when this call released the hold (false: already released, booked, or not the caller's). */
export async function releaseHold(pool: pg.Pool, holdId: string, clientId: string, traceId: string | null, deferNotify = false): Promise<boolean> {
  const result = await pool.query<{ released: number }>({ name: 'snp-release-hold', text: RELEASE_HOLD, values: [holdId, clientId, traceId, deferNotify ? 'on' : 'off'] });
  return (result.rows[0]?.released ?? 0) > 0;
}

/** The store the booking use cases claim slots through, on this pool. */
export function pgSlotClaims(pool: pg.Pool): SlotClaimStore {
  return { book: (p) => bookSlot(pool, p) };
}
