// Bookings as the use cases read and change them, scoped to who may see which
// (booking-records.ts says who). PostgreSQL implements it
// (src/db/stores/bookings.ts); src/service.ts wires it. Each change is one
// transaction with its audit row and outbox events.
import type { BookingStatus } from '../core/domain.js';
import type { Actor } from './actor.js';
import type { BookingRecord } from './booking-view.js';
import type { AuthenticatedClient } from './client.js';

export interface StoredBooking extends BookingRecord {
  clientId: string;
  professionalId: string;
}

export interface BookingFilter {
  territory?: string | undefined;
  status?: BookingStatus | undefined;
  /** Bookings starting at or after this instant. */
  from?: Date | undefined;
  /** Bookings starting before this instant. */
  until?: Date | undefined;
  limit: number;
}

export interface BookingStore {
  findVisible(client: AuthenticatedClient, id: string): Promise<StoredBooking | undefined>;
  /** Earliest first (ties by id). */
  listVisible(client: AuthenticatedClient, filter: BookingFilter): Promise<StoredBooking[]>;
  /**
   * Cancels a live booking and frees its slot, telling the professional and,
   * when someone else cancelled, the requester. False when it was no longer live.
   */
  cancel(actor: Actor, booking: StoredBooking, reason: string | null): Promise<boolean>;
  /** From 'booked' only; false when it was no longer booked. */
  recordOutcome(actor: Actor, booking: StoredBooking, outcome: 'no-show' | 'honoured'): Promise<boolean>;
}
