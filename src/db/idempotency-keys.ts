// The idempotency records of src/usecases/idempotency.ts (written by the
// booking statement of slot-claims.ts, in the same transaction as the booking).
import type { Kysely } from 'kysely';
import type { IdempotencyStore } from '../usecases/idempotency.js';
import type { Database } from './schema.js';

export function pgIdempotency(db: Kysely<Database>): IdempotencyStore {
  return {
    async find(clientId, key) {
      const row = await db.selectFrom('idempotency_keys').select(['request_hash', 'response_status', 'response_body'])
        .where('client_id', '=', clientId).where('key', '=', key).executeTakeFirst();
      return row === undefined ? undefined : { requestHash: row.request_hash, status: row.response_status, body: row.response_body };
    },
  };
}
