// Every store the use cases declare (src/usecases/context.ts UseCaseStores),
// on one database: the service's, or the FHIR channel's marking view of it.
import type { UseCaseStores } from '../../usecases/context.js';
import type { DatabaseHandle } from '../database.js';
import { pgIdempotency } from '../idempotency-keys.js';
import { pgEventStreams } from '../outbox/streams.js';
import { pgSlotClaims } from '../slot-claims.js';
import { pgBookings } from './bookings.js';
import { pgDirectory } from './directory.js';
import { pgHolds } from './holds.js';
import { pgRequests } from './requests.js';
import { pgRuleSets } from './rule-sets.js';
import { pgSlots } from './slots.js';

export function pgUseCaseStores(database: DatabaseHandle): UseCaseStores {
  return {
    slotClaims: pgSlotClaims(database.pool),
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
