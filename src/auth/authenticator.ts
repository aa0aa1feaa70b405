// Bearer token → API client, with a short cache so the hot path does not pay a
// database round trip per request. A change to any API client (revocation,
// new expiry, deletion) is NOTIFYed by PostgreSQL (sql/008) and empties the
// cache of every instance at once; should that connection be down, a revoked
// token still stops working within CACHE_MS. An entry never outlives its token's expiry.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { findClientByTokenHash } from '../db/api-clients.js';
import type { Database } from '../db/schema.js';
import { API_CLIENT_CHANGES_CHANNEL } from '../db/notifications/channels.js';
import type { Notifier, Subscription } from '../db/notifications/notifier.js';
import type { AuthenticatedClient } from '../usecases/client.js';
import { hashToken, looksLikeToken } from './token.js';

const CACHE_MS = 10_000;
const CACHE_MAX = 10_000;

export type AuthenticationFailure = 'missing' | 'malformed' | 'unknown';

export interface AuthenticatorOptions {
  /** The instance's notifier, to hear of API client changes; without it, only the cache lifetime bounds a revocation. */
  notifier?: Notifier;
  logger?: Logger;
}

export class Authenticator {
  private readonly cache = new Map<string, { client: AuthenticatedClient | null; until: number }>();
  private readonly subscription: Subscription | null;

  constructor(private readonly db: Kysely<Database>, options: AuthenticatorOptions = {}) {
    this.subscription = options.notifier === undefined ? null : options.notifier.subscribe({
      channels: [API_CLIENT_CHANGES_CHANNEL],
      onNotification: () => this.forget(),
      // Changes made while disconnected were not heard: start afresh.
      onConnected: () => this.forget(),
      onDisconnected: (error) => options.logger?.warn({ err: error?.message }, 'api client listener disconnected; reconnecting'),
    });
  }

  /** Connects the change listener (retrying until it succeeds). */
  async start(): Promise<void> {
    await this.subscription?.listening();
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
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
