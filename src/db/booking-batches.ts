// Group commit for bookings: concurrent bookings share one statement, so one
// round trip, one executor start and one commit serve several of them (issue
// 18; what systems of record do to amortise a commit). Each keeps its own
// outcome: the statement is the single booking statement (slot-claims.ts)
// over a set of inputs, and a booking whose slot is not claimable simply
// gets no row, exactly as alone.
//
// Batching never waits for company: a booking goes at once when fewer than
// MAX_IN_FLIGHT batches are running (so an idle service books exactly as
// before, with the single statement); under load, the bookings that arrive
// while batches run go together in the next one. A booking queued longer than
// the pool's connection wait (DB_POOL_WAIT_MS) is shed as a 503, as it would
// have been waiting for a connection.
//
// Guarantees, as for one booking:
// - atomic: a statement is a transaction; nothing is acknowledged before its commit;
// - a batch that fails as a whole (a unique key taken by a concurrent request,
//   an unknown request id, a deadlock between two batches sharing two slots,
//   a row lock not granted within BATCH_LOCK_TIMEOUT_MS) is rolled back
//   entirely and each of its bookings is retried alone, where it gets its own
//   precise outcome; a lost connection fails them all, as it would have each;
// - a slot locked by another writer's open transaction holds up its batch for
//   at most BATCH_LOCK_TIMEOUT_MS: the others are then booked one by one;
// - lock order (sql/007): all slots are claimed before any stream is advanced
//   (the streams' aggregate reads every booking first), and the streams are
//   advanced in professional order, so two batches take stream locks in the
//   same order and cannot deadlock on them;
// - the batch numbers its events and writes their SAS delivery rows itself,
//   set-based (sql/019); a booking alone goes through the triggers as before;
// - two bookings of one slot in one batch: the UPDATE takes the slot once,
//   for one of them; the other gets no row (not claimed), as if it had lost
//   the race.
import type pg from 'pg';
import type { BookSlotParams, BookSlotResult, SlotClaimStore } from '../usecases/slot-claims.js';
import { bookedOutcome, bookSlot, type BookedRow } from './slot-claims.js';

/** BOOKING_BATCH_MAX's default (src/config.ts). */
export const DEFAULT_BOOKING_BATCH_MAX = 32;

/** Batches running at once: one per core of the database keeps it busy without queueing inside it. */
const MAX_IN_FLIGHT = 2;

/** How long a batch may wait for a row lock before its bookings are retried one by one. */
const BATCH_LOCK_TIMEOUT_MS = 250;

// $1: the bookings as a JSON array (one object per booking, `n` its position);
// $2: 'on' when the caller announces the changes after commit (slot-claims.ts).
const BOOK_SLOTS = `
with defer as (
  select set_config('snp.defer_notify', $2, true) as v
), input as (
  -- Read before any slot is locked: a batch waits at most this long for a row
  -- lock (a slot held by another writer's open transaction), then fails and
  -- its bookings go one by one, so it never holds the others up for longer.
  select * from jsonb_to_recordset($1::jsonb) as i(
    n int, slot_id uuid, client_id uuid, territories text[], booking_id uuid, request_id uuid, hold_id uuid, patient jsonb,
    idempotency_key text, request_hash text, event_payload jsonb, audit_details jsonb, trace_id text, response_body jsonb,
    professional_id uuid, start_at timestamptz)
   where set_config('lock_timeout', '${BATCH_LOCK_TIMEOUT_MS}ms', true) is not null
     -- Before any event is inserted (they all come from these rows): this statement writes
     -- the SAS delivery rows itself (sas below), and the events trigger must not (sql/019).
     and set_config('snp.sas_deliveries_written', 'on', true) is not null
), own_hold as (
  select i.n, h.id, h.expires_at from input i
   cross join lateral (
     select h.id, h.expires_at from holds h
      where h.slot_id = i.slot_id and h.client_id = i.client_id and h.released_at is null and h.booked_at is null
        and (i.hold_id is null or h.id = i.hold_id)
      order by h.expires_at desc limit 1) h
), claimed as (
  update slots s set status = 'booked', held_until = null
    from input i
   where s.id = i.slot_id and s.professional_id = i.professional_id
     and (s.territory_id = any(i.territories) or exists (select 1 from professional_territories pt
          where pt.professional_id = s.professional_id and pt.territory_id = any(i.territories)))
     and date_trunc('milliseconds', s.starts_at) = i.start_at and s.starts_at > now()
     and (s.status = 'free'
          or (s.status = 'held' and (s.held_until <= now()
              or exists (select 1 from own_hold o where o.n = i.n and o.expires_at > now()))))
  returning i.n, s.id, s.professional_id, s.territory_id, s.starts_at, s.ends_at, s.change_seq
), booking as (
  insert into bookings (id, slot_id, professional_id, territory_id, client_id, request_id, hold_id, starts_at, ends_at, patient)
  select i.booking_id, c.id, c.professional_id,
         coalesce(
           (select r.territory_id from requests r where r.id = i.request_id and r.territory_id = any(i.territories)
               and (r.territory_id = c.territory_id or exists (select 1 from professional_territories pt
                    where pt.professional_id = c.professional_id and pt.territory_id = r.territory_id))),
           case when c.territory_id = any(i.territories) then c.territory_id end,
           (select min(pt.territory_id) from professional_territories pt
             where pt.professional_id = c.professional_id and pt.territory_id = any(i.territories))),
         i.client_id, i.request_id, (select o.id from own_hold o where o.n = i.n), c.starts_at, c.ends_at, i.patient
    from claimed c join input i on i.n = c.n
  returning id, professional_id, hold_id
), used_hold as (
  update holds h set booked_at = now() from booking b where h.id = b.hold_id
), streams as (
  -- Each professional's stream advanced once for all its events of the batch, the
  -- streams locked in professional order, as every batch does (no deadlock between
  -- two), and only once every slot is claimed (the aggregate reads every booking first).
  insert into event_streams as s (recipient_kind, recipient_id, last_seq)
  select 'professional', b.professional_id::text, count(*) from booking b
   group by b.professional_id order by b.professional_id
  on conflict (recipient_kind, recipient_id) do update set last_seq = s.last_seq + excluded.last_seq
  returning s.recipient_id, s.last_seq
), outbox as (
  -- The stream's new numbers, last_seq - n + 1 .. last_seq, in booking id order; a seq
  -- given here keeps the numbering trigger off these rows (sql/019).
  insert into events (recipient_kind, recipient_id, type, booking_id, payload, seq)
  select 'professional', b.professional_id::text, 'booking.created', b.id, i.event_payload,
         st.last_seq - count(*) over (partition by b.professional_id) + row_number() over (partition by b.professional_id order by b.id)
    from booking b join input i on i.booking_id = b.id join streams st on st.recipient_id = b.professional_id::text
   order by b.professional_id, b.id
  returning id, booking_id, seq, payload::text as payload, (extract(epoch from created_at) * 1000)::float8 as created_ms
), sas as (
  -- What the events trigger writes for any other writer (sql/003), for a booking.created.
  insert into sas_deliveries (event_id, booking_id, state, status)
  select o.id, o.booking_id, 'booked',
         case when current_setting('application_name', true) = 'snp-match:fhir' then 'skipped' else 'pending' end
    from outbox o
), audit as (
  insert into audit_log (client_id, request_id, action, entity, entity_id, details)
  select i.client_id, i.trace_id, 'booking.create', 'booking', b.id::text, i.audit_details
    from booking b join input i on i.booking_id = b.id
), idempotency as (
  insert into idempotency_keys (client_id, key, request_hash, response_status, response_body)
  select i.client_id, i.idempotency_key, decode(i.request_hash, 'hex'), 201, i.response_body
    from booking b join input i on i.booking_id = b.id
)
select i.n, b.id, b.hold_id, c.change_seq, o.seq as event_seq, o.payload as event_payload, o.created_ms as event_created_ms
  from defer cross join input i
  left join booking b on b.id = i.booking_id
  left join claimed c on c.n = i.n
  left join outbox o on o.booking_id = b.id`;

interface Pending {
  params: BookSlotParams;
  resolve: (result: BookSlotResult) => void;
  reject: (error: unknown) => void;
  /** Sheds the booking if it is still queued when a pool connection would have timed out. */
  timer: NodeJS.Timeout;
}

/** The pool's own wait for a connection (DB_POOL_WAIT_MS): a queued booking waits no longer. */
function poolWaitMs(pool: pg.Pool): number {
  return (pool as { options?: { connectionTimeoutMillis?: number } }).options?.connectionTimeoutMillis || 5_000;
}

/** The bookings of `batch` in one statement; undefined when the statement failed as a whole (SQL error). */
async function bookTogether(pool: pg.Pool, batch: readonly BookSlotParams[]): Promise<BookSlotResult[] | undefined> {
  const input = batch.map((p, n) => ({
    n, slot_id: p.slotId, client_id: p.clientId, territories: p.territories, booking_id: p.bookingId, request_id: p.requestId,
    hold_id: p.holdId, patient: p.patient, idempotency_key: p.idempotencyKey, request_hash: p.requestHash.toString('hex'),
    event_payload: p.eventPayload, audit_details: p.auditDetails, trace_id: p.traceId, response_body: p.responseBody,
    professional_id: p.professionalId, start_at: new Date(p.start).toISOString(),
  }));
  try {
    const result = await pool.query<BookedRow & { n: number }>({
      name: 'snp-book-slots', text: BOOK_SLOTS, values: [JSON.stringify(input), batch[0]!.deferNotify ? 'on' : 'off'],
    });
    const outcomes: BookSlotResult[] = batch.map(() => ({ outcome: 'not-claimed' }));
    for (const row of result.rows) outcomes[row.n] = bookedOutcome(row, batch[row.n]!.professionalId);
    return outcomes;
  } catch (error) {
    // A server error rolled the whole statement back: each booking is retried alone.
    // Anything else (a lost connection) is each booking's failure too.
    if ((error as { severity?: string }).severity !== undefined) return undefined;
    throw error;
  }
}

/**
 * The booking store, batching concurrent bookings; `maxBatch` 1 books each
 * alone. `onStatement(n)`: a booking statement carried n bookings (a metric).
 */
export function batchedSlotClaims(pool: pg.Pool, maxBatch: number, onStatement: (bookings: number) => void = () => {}): SlotClaimStore {
  if (maxBatch <= 1) return { book: (params) => { onStatement(1); return bookSlot(pool, params); } };
  const queue: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;
  const waitMs = poolWaitMs(pool);

  const run = async (members: Pending[]): Promise<void> => {
    inFlight++;
    try {
      onStatement(members.length);
      if (members.length === 1) {
        await bookSlot(pool, members[0]!.params).then(members[0]!.resolve, members[0]!.reject);
        return;
      }
      let outcomes: BookSlotResult[] | undefined;
      try {
        outcomes = await bookTogether(pool, members.map((m) => m.params));
      } catch (error) {
        for (const m of members) m.reject(error);
        return;
      }
      if (outcomes !== undefined) {
        members.forEach((m, i) => m.resolve(outcomes[i]!));
        return;
      }
      for (const _ of members) onStatement(1);
      await Promise.all(members.map((m) => bookSlot(pool, m.params).then(m.resolve, m.reject)));
    } finally {
      inFlight--;
      flush();
    }
  };

  // Takes the next batch: queued bookings with the first one's deferNotify (the statement sets it for all).
  const flush = (): void => {
    while (inFlight < MAX_IN_FLIGHT && queue.length > 0) {
      const defer = queue[0]!.params.deferNotify === true;
      const members: Pending[] = [];
      for (let i = 0; i < queue.length && members.length < maxBatch;) {
        if ((queue[i]!.params.deferNotify === true) === defer) members.push(queue.splice(i, 1)[0]!);
        else i++;
      }
      for (const m of members) clearTimeout(m.timer);
      void run(members);
    }
  };

  return {
    book: (params) => new Promise<BookSlotResult>((resolve, reject) => {
      // While both batches in flight are stuck (PostgreSQL stalled, a lock
      // held), a queued booking is shed as one waiting for a pool connection
      // would be: the same error, a 503 (src/db/unavailable.ts).
      const pending: Pending = {
        params, resolve, reject,
        timer: setTimeout(() => {
          const at = queue.indexOf(pending);
          if (at < 0) return;
          queue.splice(at, 1);
          reject(new Error('timeout exceeded when trying to connect (booking queued behind busy batches)'));
        }, waitMs),
      };
      queue.push(pending);
      // Bookings that arrive in the same turn of the event loop go together; the
      // check phase comes right after the poll phase that read their requests.
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          flush();
        });
      }
    }),
  };
}
