// Idempotency keys (per client): the first successful answer to a key is stored
// in the same transaction as the change it made; a retry with the same key and
// the same body gets that answer again, another body under the same key is a 422.
//
// Refusals (409, 404…) are not stored: they change nothing, so a retry simply
// runs again. Concurrent duplicates are serialised by PostgreSQL itself (the row
// lock on the slot, then the primary key of idempotency_keys): the loser waits
// for the winner's commit and then finds its answer.
import { createHash } from 'node:crypto';
import { ApiProblem, validationProblem } from './problem.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/; // visible ASCII, as in the IETF Idempotency-Key draft
/** The input naming the key (HTTP carries it as the Idempotency-Key header). */
export const IDEMPOTENCY_KEY_FIELD = 'idempotencyKey';

export function checkIdempotencyKey(key: string | undefined, field = IDEMPOTENCY_KEY_FIELD): string {
  if (key === undefined || key === '') {
    throw validationProblem([{ field, message: 'the Idempotency-Key header is required (a unique value per booking attempt, e.g. a UUID)' }]);
  }
  if (!KEY_PATTERN.test(key)) {
    throw validationProblem([{ field, message: 'must be 1 to 200 visible ASCII characters' }]);
  }
  return key;
}

/** JSON with object keys sorted, so that key order never changes a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What a key is bound to: the operation and its (validated) input. */
export function requestHash(operation: string, input: unknown): Buffer {
  return createHash('sha256').update(operation).update('\n').update(canonicalJson(input)).digest();
}

export interface StoredAnswer<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** An answer as stored under a client's key, with the hash of the request it answered. */
export interface StoredRecord {
  requestHash: Buffer;
  status: number;
  body: unknown;
}

/** Where answers are kept (src/db/idempotency-keys.ts); written with the change itself. */
export interface IdempotencyStore {
  find(clientId: string, key: string): Promise<StoredRecord | undefined>;
}

/** The stored answer when the key was used with this very request, a 422 when with another. */
export async function replayIfKnown<T>(store: IdempotencyStore, clientId: string, key: string, hash: Buffer): Promise<StoredAnswer<T> | undefined> {
  const stored = await store.find(clientId, key);
  if (stored === undefined) return undefined;
  if (!stored.requestHash.equals(hash)) {
    throw new ApiProblem(422, 'idempotency-key-reused', 'Idempotency key reused',
      'this Idempotency-Key was already used with a different request body; use a new key for a new request',
      { errors: [{ field: IDEMPOTENCY_KEY_FIELD, message: 'already used with a different body' }] });
  }
  return { status: stored.status, body: stored.body as T, replayed: true };
}
