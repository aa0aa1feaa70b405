// Bearer token → API client, with a short cache so the hot path does not pay a
// database round trip per request. A change to any API client (revocation,
// new expiry, deletion) is NOTIFYed by PostgreSQL (sql/008) and empties the
// cache of every instance at once; should that connection be down, a revoked
// token still stops working within CACHE_MS. An entry never outlives its token's expiry.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { findClientByTokenHash } from '../db/api-clients.js';
import type { Database } from '../db/schema.js';
import { PgListener } from '../db/sync/listener.js';
import type { AuthenticatedClient } from '../usecases/client.js';
import { hashToken, looksLikeToken } from './token.js';

const CACHE_MS = 10_000;
const CACHE_MAX = 10_000;

export type AuthenticationFailure = 'missing' | 'malformed' | 'unknown';

export interface AuthenticatorOptions {
  /** Where to LISTEN for API client changes; without it, only the cache lifetime bounds a revocation. */
  url?: string;
  logger?: Logger;
}

export class Authenticator {
  private readonly cache = new Map<string, { client: AuthenticatedClient | null; until: number }>();
  private readonly listener: PgListener | null;

  constructor(private readonly db: Kysely<Database>, options: AuthenticatorOptions = {}) {
    this.listener = options.url === undefined ? null : new PgListener({
      url: options.url,
      channels: ['api_client_changes'],
      applicationName: 'snp-match:auth-listener',
      onNotification: () => this.forget(),
      // Changes made while disconnected were not heard: start afresh.
      onConnected: () => this.forget(),
      onDisconnected: (error) => options.logger?.warn({ err: error?.message }, 'api client listener disconnected; reconnecting'),
    });
  }

  /** Connects the change listener (retrying until it succeeds). */
  async start(): Promise<void> {
    await this.listener?.start();
  }

  async stop(): Promise<void> {
    await this.listener?.stop();
  }

  async authenticate(token: string | undefined): Promise<AuthenticatedClient | AuthenticationFailure> {
    if (token === undefined || token === '') return 'missing';
    if (!looksLikeToken(token)) return 'malformed';
    const hash = hashToken(token);
    const key = hash.toString('base64');
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.until > now) return cached.client ?? 'unknown';
    const client = await findClientByTokenHash(this.db, hash);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { client, until: Math.min(now + CACHE_MS, client?.expiresAt?.getTime() ?? Infinity) });
    return client ?? 'unknown';
  }

  /** Forget cached answers (after a revocation on this instance). */
  forget(): void {
    this.cache.clear();
  }
}
