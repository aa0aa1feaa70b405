// Bearer token → API client, with a short cache so the hot path does not pay a
// database round trip per request. A revoked token stops working within CACHE_MS.
import type { Kysely } from 'kysely';
import { findClientByToken, type AuthenticatedClient } from '../db/api-clients.js';
import type { Database } from '../db/schema.js';
import { hashToken, looksLikeToken } from './token.js';

const CACHE_MS = 10_000;
const CACHE_MAX = 10_000;

export type AuthenticationFailure = 'missing' | 'malformed' | 'unknown';

export class Authenticator {
  private readonly cache = new Map<string, { client: AuthenticatedClient | null; until: number }>();

  constructor(private readonly db: Kysely<Database>) {}

  async authenticate(token: string | undefined): Promise<AuthenticatedClient | AuthenticationFailure> {
    if (token === undefined || token === '') return 'missing';
    if (!looksLikeToken(token)) return 'malformed';
    const key = hashToken(token).toString('base64');
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.until > now) return cached.client ?? 'unknown';
    const client = await findClientByToken(this.db, token);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { client, until: now + CACHE_MS });
    return client ?? 'unknown';
  }

  /** Forget cached answers (after a revocation on this instance). */
  forget(): void {
    this.cache.clear();
  }
}

/** The token of an Authorization header (`Bearer x`) or of a `?token=` parameter. */
export function tokenFrom(authorization: string | undefined, queryToken: unknown): string | undefined {
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : '';
  }
  return typeof queryToken === 'string' ? queryToken : undefined;
}
