// Triage requests (src/usecases/request-store.ts RequestStore): recorded with
// their outcome for the indicators, and referenced by holds and bookings.
import type { RequestStore } from '../../usecases/request-store.js';
import type { DatabaseHandle } from '../database.js';

export function pgRequests(database: DatabaseHandle): RequestStore {
  return {
    async clientOf(requestId) {
      const row = await database.db.selectFrom('requests').select(['client_id']).where('id', '=', requestId).executeTakeFirst();
      return row === undefined ? undefined : row.client_id ?? undefined;
    },
    async record(r) {
      const row = await database.db.insertInto('requests').values({
        territory_id: r.territoryId,
        client_id: r.clientId,
        origin: r.origin,
        commune_code: r.communeCode,
        patient: JSON.stringify(r.patient),
        complaint: r.complaint,
        red_flags: r.redFlags,
        triage: JSON.stringify(r.triage),
        orientation: r.orientation,
        max_delay_minutes: r.maxDelayMinutes,
        outcome: r.outcome,
        candidates_count: r.candidatesCount,
      }).returning('id').executeTakeFirstOrThrow();
      return row.id;
    },
  };
}
