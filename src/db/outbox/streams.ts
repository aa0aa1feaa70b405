// The outbox as streams: each recipient (a professional, a territory's
// coordinators, a requesting client) reads its events by position `seq`,
// gap-free and in commit order (sql/007_outbox_streams.sql says why).
import type pg from 'pg';
import type { Notifier } from '../notifications/notifier.js';

import type { AckResult, EventStreamStore, OutboxEvent, ReplayPage, StreamRef } from '../../usecases/event-stream-store.js';

export { RECIPIENT_KINDS } from '../../usecases/event-stream-store.js';
export type { AckResult, OutboxEvent, RecipientKind, StreamRef } from '../../usecases/event-stream-store.js';

export const streamKey = (stream: StreamRef): string => `${stream.kind}:${stream.id}`;

type EventRow = [stream: string, seq: number, type: string, payload: string, createdAtMs: number];
const toEvent = ([stream, seq, type, payloadJson, createdAtMs]: EventRow): OutboxEvent => ({ stream, seq, type, payloadJson, createdAtMs });

// The head in the same statement, hence the same snapshot as the events.
const REPLAY = `
select h.head, e.stream, e.seq, e.type, e.payload, e.created_ms
  from (select coalesce((select s.last_seq from event_streams s where s.recipient_kind = $1 and s.recipient_id = $2), 0) as head) h
  left join lateral (
    select e.recipient_kind || ':' || e.recipient_id as stream, e.seq, e.type, e.payload::text as payload,
           (extract(epoch from e.created_at) * 1000)::float8 as created_ms
      from events e
     where e.recipient_kind = $1 and e.recipient_id = $2 and e.seq > $3 and e.acked_at is null
     order by e.seq
     limit $4) e on true
 order by e.seq`;

/** Unacknowledged events of a stream after position `after`, oldest first, and its head in the same snapshot. */
export async function readUnacked(pool: pg.Pool, stream: StreamRef, after: number, limit: number): Promise<ReplayPage> {
  const result = await pool.query<[number, ...EventRow] | [number, null, null, null, null, null]>({
    name: 'snp-outbox-replay-head', text: REPLAY, values: [stream.kind, stream.id, after, limit], rowMode: 'array',
  });
  const events: OutboxEvent[] = [];
  for (const [, ...row] of result.rows) if (row[0] !== null) events.push(toEvent(row as EventRow));
  return { events, head: Number(result.rows[0]?.[0] ?? 0) };
}

/** The last committed position of a stream (0: nothing written yet). */
export async function streamHead(pool: pg.Pool, stream: StreamRef): Promise<number> {
  const result = await pool.query<{ last_seq: string }>({
    name: 'snp-outbox-head', text: 'select last_seq from event_streams where recipient_kind = $1 and recipient_id = $2', values: [stream.kind, stream.id],
  });
  return Number(result.rows[0]?.last_seq ?? 0);
}

// One statement: the event, and for a booking.created the booking itself (its
// acked_at stops the escalation). Acking twice, or from two devices, is harmless.
const ACK = `
with target as (
  select e.id, e.type, e.booking_id, e.acked_at from events e
   where e.recipient_kind = $1 and e.recipient_id = $2 and e.seq = $3
), acked as (
  update events e set acked_at = now() from target t where e.id = t.id and t.acked_at is null
), booking as (
  update bookings b set acked_at = now()
    from target t where t.type = 'booking.created' and b.id = t.booking_id and b.acked_at is null
)
select t.type, t.acked_at is not null as already from target t`;

export async function ackEvent(pool: pg.Pool, stream: StreamRef, seq: number): Promise<AckResult> {
  const result = await pool.query<{ type: string; already: boolean }>({ name: 'snp-outbox-ack', text: ACK, values: [stream.kind, stream.id, seq] });
  const row = result.rows[0];
  return row === undefined ? 'unknown' : row.already ? 'already' : 'acked';
}

/** The event streams as the use cases read them (src/usecases/event-stream-store.ts). */
export function pgEventStreams(pool: pg.Pool): EventStreamStore {
  return {
    readUnacked: (stream, after, limit) => readUnacked(pool, stream, after, limit),
    ack: (stream, seq) => ackEvent(pool, stream, seq),
    head: (stream) => streamHead(pool, stream),
  };
}

// One round trip: the rows written by transactions at or after the watermark,
// and the xmin of this very statement's snapshot (in READ COMMITTED,
// pg_current_snapshot() is the statement's snapshot): every transaction below
// it has finished, so its rows were visible here. Every stream: the caller
// keeps those it serves (a thousand stream keys as a parameter cost more to
// send and plan than the few rows of other streams).
// Unnamed, so planned for each watermark: a named statement settles on a
// generic plan, which for `xid >= $1` cannot know the range is a recent tail;
// made while events was small, it was a sequential scan and sort of the whole
// table on every pass (499 µs a pass in the booking profile against 57 µs).
const NEW_EVENTS = `
select s.xmin, e.recipient_kind || ':' || e.recipient_id, e.seq, e.type, e.payload::text, (extract(epoch from e.created_at) * 1000)::float8
  from (select pg_snapshot_xmin(pg_current_snapshot())::text as xmin) s
  left join events e on e.xid >= $1::xid8
 order by 2, 3`;

/** Where the feed's one-statement reads run: the instance's notifier connection (src/db/outbox/outbox-feed.ts says why). */
export type StatementRunner = Pick<Notifier, 'query'>;

export async function readNewEvents(reader: StatementRunner, watermark: string): Promise<{ watermark: string; events: OutboxEvent[] }> {
  const result = await reader.query<[string, ...EventRow]>({ text: NEW_EVENTS, values: [watermark], rowMode: 'array' });
  const events: OutboxEvent[] = [];
  for (const [, ...row] of result.rows) if (row[0] !== null) events.push(toEvent(row as EventRow));
  return { watermark: result.rows[0]![0], events };
}

export async function currentWatermark(reader: StatementRunner): Promise<string> {
  const result = await reader.query<{ xmin: string }>({ text: 'select pg_snapshot_xmin(pg_current_snapshot())::text as xmin' });
  return result.rows[0]!.xmin;
}
