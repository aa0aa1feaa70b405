// What the booking and hold use cases need to claim a slot: one atomic write
// that takes it, with its outbox event, audit row and idempotency record (a
// booking) or its audit row (a hold). PostgreSQL implements it
// (src/db/slot-claims.ts, src/db/stores/holds.ts); src/service.ts wires it.
import type { OutboxEvent } from './event-stream-store.js';

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
  /**
   * changeSeq: the slot row's change sequence as this write committed it (read-your-writes, src/db/sync/local-writes.ts);
   * event: the booking.created event the write put in the professional's stream, as a pass would read it (delivered at
   * once to the sockets here and carried by the after-commit hint to the other instances: src/db/outbox/outbox-feed.ts).
   */
  | { outcome: 'booked'; holdId: string | null; changeSeq: number; event: OutboxEvent }
  | { outcome: 'not-claimed' }
  | { outcome: 'key-taken' }
  | { outcome: 'unknown-request' };

export interface SlotClaimStore {
  /** Takes the slot if it is still what the answer was computed from; never throws for a lost race. */
  book(p: BookSlotParams): Promise<BookSlotResult>;
}

export interface HoldSlotParams {
  slotId: string;
  clientId: string;
  territories: readonly string[];
  holdId: string;
  requestId: string | null;
  traceId: string | null;
  deferNotify?: boolean;
}

export type HoldSlotResult = { outcome: 'held'; expiresAt: Date; changeSeq: number } | { outcome: 'not-claimed' } | { outcome: 'unknown-request' };

/** A hold as its owner's next step needs it. */
export interface HoldState {
  slotId: string;
  clientId: string;
  releasedAt: Date | null;
  bookedAt: Date | null;
}

export interface HoldStore {
  /** Takes the slot for a while, with its audit row; never throws for a lost race. */
  place(p: HoldSlotParams): Promise<HoldSlotResult>;
  /** True when this call released the hold (false: already released, booked, or not the caller's). */
  release(holdId: string, clientId: string, traceId: string | null, deferNotify: boolean): Promise<boolean>;
  /** Who holds it and whether it ended, for a release. */
  ownerOf(holdId: string): Promise<Omit<HoldState, 'slotId'> | undefined>;
  /** When it was booked, if it was (null: not booked; undefined: no such hold). */
  bookedAt(holdId: string): Promise<Date | null | undefined>;
  /** The hold a booking names, with its slot. */
  find(holdId: string): Promise<HoldState | undefined>;
}
