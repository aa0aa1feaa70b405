// Holds as the hold and booking use cases read and write them
// (src/usecases/slot-claims.ts HoldStore): the one-statement claim and release
// of src/db/slot-claims.ts, and the lookups by id.
import type { HoldStore } from '../../usecases/slot-claims.js';
import type { DatabaseHandle } from '../database.js';
import { holdSlot, releaseHold } from '../slot-claims.js';

export function pgHolds(database: DatabaseHandle): HoldStore {
  return {
    place: (p) => holdSlot(database.pool, p),
    release: (holdId, clientId, traceId, deferNotify) => releaseHold(database.pool, holdId, clientId, traceId, deferNotify),
    async ownerOf(holdId) {
      const hold = await database.db.selectFrom('holds').select(['client_id', 'released_at', 'booked_at']).where('id', '=', holdId).executeTakeFirst();
      return hold === undefined ? undefined : { clientId: hold.client_id, releasedAt: hold.released_at, bookedAt: hold.booked_at };
    },
    async bookedAt(holdId) {
      const now = await database.db.selectFrom('holds').select(['booked_at']).where('id', '=', holdId).executeTakeFirst();
      return now?.booked_at;
    },
    async find(holdId) {
      const hold = await database.db.selectFrom('holds').select(['slot_id', 'client_id', 'released_at', 'booked_at'])
        .where('id', '=', holdId).executeTakeFirst();
      return hold === undefined ? undefined : { slotId: hold.slot_id, clientId: hold.client_id, releasedAt: hold.released_at, bookedAt: hold.booked_at };
    },
  };
}
