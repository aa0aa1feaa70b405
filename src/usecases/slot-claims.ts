// What the booking use cases need to claim a slot: one atomic write that takes
// it, with its outbox event, audit row and idempotency record. PostgreSQL
// implements it (src/db/slot-claims.ts); src/service.ts wires it.
export interface BookSlotParams {
  slotId: string;
  clientId: string;
  territories: readonly string[];
  bookingId: string;
  requestId: string | null;
  /** Book through this hold only (when the request named one). */
  holdId: string | null;
  patient: unknown;
  idempotencyKey: string;
  requestHash: Buffer;
  eventPayload: unknown;
  auditDetails: Record<string, unknown>;
  traceId: string | null;
  responseBody: unknown;
  /** What the answer was computed from: the update only matches this very slot. */
  professionalId: string;
  start: number;
  /** Announce the change after commit yourself (src/db/slot-claims.ts); default false. */
  deferNotify?: boolean;
}

export type BookSlotResult =
  /** changeSeq: the slot row's change sequence as this write committed it (read-your-writes, src/db/sync/local-writes.ts). */
  | { outcome: 'booked'; holdId: string | null; changeSeq: number }
  | { outcome: 'not-claimed' }
  | { outcome: 'key-taken' }
  | { outcome: 'unknown-request' };


export interface SlotClaimStore {
  /** Takes the slot if it is still what the answer was computed from; never throws for a lost race. */
  book(p: BookSlotParams): Promise<BookSlotResult>;
}
