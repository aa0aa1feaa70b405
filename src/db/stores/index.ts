// Every store the use cases declare (src/usecases/context.ts UseCaseStores),
// on one database: the service's, or the FHIR channel's marking view of it.
import type { UseCaseStores } from '../../usecases/context.js';
import type { DatabaseHandle } from '../database.js';
import { pgIdempotency } from '../idempotency-keys.js';
import { pgEventStreams } from '../outbox/streams.js';
import { DEFAULT_BOOKING_BATCH_MAX, batchedSlotClaims } from '../booking-batches.js';
import { pgBookings } from './bookings.js';
import { pgDirectory } from './directory.js';
import { pgHolds } from './holds.js';
import { pgRequests } from './requests.js';
import { pgRuleSets } from './rule-sets.js';
import { pgSlots } from './slots.js';

export interface StoreOptions {
  /** BOOKING_BATCH_MAX; its default when not given. */
  bookingBatchMax?: number;
  /** A booking statement carried this many bookings (the service counts them in a metric). */
  onBookingStatement?: (bookings: number) => void;
}

export function pgUseCaseStores(database: DatabaseHandle, options: StoreOptions = {}): UseCaseStores {
  return {
    slotClaims: batchedSlotClaims(database.pool, options.bookingBatchMax ?? DEFAULT_BOOKING_BATCH_MAX, options.onBookingStatement),
    idempotency: pgIdempotency(database.db),
    eventStreams: pgEventStreams(database.pool),
    holds: pgHolds(database),
    bookings: pgBookings(database),
    requests: pgRequests(database),
    slots: pgSlots(database),
    directory: pgDirectory(database),
    ruleSetVersions: pgRuleSets(database),
  };
}
