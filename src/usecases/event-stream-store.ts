// The outbox as streams, as the use cases read them: each recipient (a
// professional, a territory's coordinators, a requesting client) reads its
// events by position. PostgreSQL implements it (src/db/outbox/streams.ts).
export const RECIPIENT_KINDS = ['professional', 'territory', 'client'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export interface StreamRef {
  kind: RecipientKind;
  id: string;
}

/** One event as read for delivery. The payload stays the JSON text PostgreSQL gave: it is sent as is. */
export interface OutboxEvent {
  stream: string;
  seq: number;
  type: string;
  payloadJson: string;
  /** When the event was written (its transaction's start, database clock), for the push latency metric. */
  createdAtMs: number;
}

export interface ReplayPage { events: OutboxEvent[]; head: number }

export type AckResult = 'acked' | 'already' | 'unknown';

export interface EventStreamStore {
  /**
   * Unacknowledged events of a stream after position `after`, oldest first, and
   * the stream's head in the same snapshot: every event up to it is committed,
   * so a reader is past all of them, acknowledged or not (positions are taken
   * under the stream's row lock, hence committed in order: sql/007).
   */
  readUnacked(stream: StreamRef, after: number, limit: number): Promise<ReplayPage>;
  ack(stream: StreamRef, seq: number): Promise<AckResult>;
  /** The last committed position of a stream (0: nothing written yet). */
  head(stream: StreamRef): Promise<number>;
}
