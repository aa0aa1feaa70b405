// Bearer token → API client, with a short cache so the hot path does not pay a
// database round trip per request. A change to any API client (revocation,
// new expiry, role or territories, deletion) is NOTIFYed by PostgreSQL
// (sql/008, the client's id as payload): every instance forgets that client's
// cached answers at once and tells its listeners (open sockets re-check their
// credential, src/auth/credential-watch.ts); should that connection be down,
// a revoked token still stops working within CACHE_MS. An entry never outlives
// its token's expiry.
//
// Failed authentication is what an attacker can produce at will, so it is made
// cheap and bounded BEFORE any database work: a source address that failed too
// often is refused (429) without a lookup, and the hashes of tokens known to be
// bad are remembered a while (a bounded negative cache). A token that
// authenticated recently is still looked up when its address is throttled: an
// attacker sharing a legitimate client's address (a NAT, a proxy) must not
// lock it out. Both caches evict the least recently used entry, never all at once.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { findClientByTokenHash, findClientsById } from '../db/api-clients.js';
import type { Database } from '../db/schema.js';
import { API_CLIENT_CHANGES_CHANNEL } from '../db/notifications/channels.js';
import type { Notifier, Subscription } from '../db/notifications/notifier.js';
import type { AuthenticatedClient } from '../usecases/client.js';
import { LruMap } from './lru-map.js';
import { tokenFrom } from './request-authentication.js';
import { looksLikeToken, tokenCacheKey } from './token.js';
import { TokenBuckets } from './token-buckets.js';

const CACHE_MS = 10_000;
const CACHE_MAX = 10_000;
const NEGATIVE_MAX = 10_000;
const SOURCES_MAX = 10_000;

export type AuthenticationFailure = 'missing' | 'malformed' | 'unknown';
/** The source address failed authentication too often: refused before any lookup. */
export type Throttled = { throttled: true; retryAfterSeconds: number };

export interface AuthenticatorOptions {
  /** The instance's notifier, to hear of API client changes; without it, only the cache lifetime bounds a revocation. */
  notifier?: Notifier;
  logger?: Logger;
  /** Failed authentications per minute per source address before 429 (default 60). */
  failuresPerMinute?: number;
}

/** Told the id of an API client that changed, or null when any may have (the change listener reconnected). */
export type ClientChangeListener = (clientId: string | null) => void;

/** What a connection last authenticated with, and until when that answer holds. */
interface ConnectionMemo { authorization: string; client: AuthenticatedClient; until: number; generation: number }

export class Authenticator {
  private readonly cache = new LruMap<string, { client: AuthenticatedClient; until: number }>(CACHE_MAX);
  private readonly byConnection = new WeakMap<object, ConnectionMemo>();
  /** Bumped by every API client change heard: a connection's memo of an earlier generation is not used. */
  private generation = 0;
  private readonly knownBad = new LruMap<string, number>(NEGATIVE_MAX);
  private readonly failures: TokenBuckets;
  private readonly changeListeners = new Set<ClientChangeListener>();
  private readonly subscription: Subscription | null;

  constructor(private readonly db: Kysely<Database>, options: AuthenticatorOptions = {}) {
    this.failures = new TokenBuckets(options.failuresPerMinute ?? 60, SOURCES_MAX);
    this.subscription = options.notifier === undefined ? null : options.notifier.subscribe({
      channels: [API_CLIENT_CHANGES_CHANNEL],
      onNotification: (_channel, payload) => this.changed(payload === '' ? null : payload),
      // Changes made while disconnected were not heard: start afresh.
      onConnected: () => this.changed(null),
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

  /**
   * The client behind a token, or why not. `source` (the peer's address) is
   * charged for each failure and throttled past its budget.
   */
  async authenticate(token: string | undefined, source?: string): Promise<AuthenticatedClient | AuthenticationFailure | Throttled> {
    const key = token !== undefined && looksLikeToken(token) ? tokenCacheKey(token) : undefined;
    const now = Date.now();
    const cached = key === undefined ? undefined : this.cache.get(key);
    if (cached !== undefined && cached.until > now) return cached.client;
    // Charged up front, before any lookup, and given back on success: however
    // many requests arrive at once, an address gets no more lookups than its budget.
    const charged = source !== undefined && cached === undefined;
    if (charged) {
      const retryAfterSeconds = this.failures.take(source);
      if (retryAfterSeconds !== undefined) return { throttled: true, retryAfterSeconds };
    }
    if (token === undefined || token === '') return 'missing';
    if (key === undefined) return 'malformed';
    const badUntil = this.knownBad.get(key);
    if (badUntil !== undefined && badUntil > now) return 'unknown';
    const client = await findClientByTokenHash(this.db, Buffer.from(key, 'base64'));
    if (client === null) {
      this.cache.delete(key);
      this.knownBad.set(key, now + CACHE_MS);
      return 'unknown';
    }
    if (charged) this.failures.giveBack(source);
    this.knownBad.delete(key);
    this.cache.set(key, { client, until: Math.min(now + CACHE_MS, client.expiresAt?.getTime() ?? Infinity) });
    return client;
  }

  /**
   * The hot path's shortcut: the client of a token answered from the cache, with
   * no await (undefined: ask authenticate(), which also charges failures). The
   * same answer authenticate() gives for a cached token.
   */
  cachedClient(token: string): AuthenticatedClient | undefined {
    if (!looksLikeToken(token)) return undefined;
    const cached = this.cache.get(tokenCacheKey(token));
    return cached !== undefined && cached.until > Date.now() ? cached.client : undefined;
  }

  /**
   * cachedClient() of a request's Authorization header, remembered on its
   * connection: a keep-alive connection sends the same header with every
   * request, so the next one costs a string comparison instead of a SHA-256 and
   * a cache lookup (9 µs of a match request's 200 in a profile on a slow day).
   * The memo holds no longer than the cached answer it copies, and none survives
   * a change to any API client. A different header on the connection takes the
   * full path; the comparison's timing could only tell a client sharing the
   * connection (a proxy's) how much of another's header it guessed, to the
   * nanosecond, over a network.
   */
  cachedClientOn(connection: object, authorization: string): AuthenticatedClient | undefined {
    const memo = this.byConnection.get(connection);
    if (memo !== undefined && memo.authorization === authorization && memo.generation === this.generation && memo.until > Date.now()) {
      return memo.client;
    }
    const token = tokenFrom(authorization, undefined);
    if (token === undefined || !looksLikeToken(token)) return undefined;
    const cached = this.cache.get(tokenCacheKey(token));
    if (cached === undefined || cached.until <= Date.now()) return undefined;
    this.byConnection.set(connection, { authorization, client: cached.client, until: cached.until, generation: this.generation });
    return cached.client;
  }

  /**
   * Seconds until `source` may fail again, when it has no failure left in its
   * budget (undefined: it may). Read-only and cheap: src/server/throttle-gate.ts
   * asks it for every request, before Fastify's pipeline; session cookies too.
   */
  throttledFor(source: string | undefined): number | undefined {
    return source === undefined ? undefined : this.failures.peek(source);
  }

  /**
   * True when the Authorization header carries a token that authenticated
   * recently (still in the token cache, even past its 10 s freshness: such a
   * token is looked up again, uncharged, by authenticate()). No lookup here.
   */
  knowsBearer(authorization: string | undefined): boolean {
    if (authorization === undefined) return false;
    const token = tokenFrom(authorization, undefined);
    if (token === undefined || !looksLikeToken(token)) return false;
    return this.cache.get(tokenCacheKey(token)) !== undefined;
  }

  /** Charges `source` for a credential refused elsewhere (a token where none belongs); the throttle when over budget. */
  chargeFailure(source: string | undefined): Throttled | undefined {
    const retryAfterSeconds = source === undefined ? undefined : this.failures.take(source);
    return retryAfterSeconds === undefined ? undefined : { throttled: true, retryAfterSeconds };
  }

  /** The clients as they stand in the database now, by id (absent: revoked, expired or deleted); one query. */
  current(clientIds: readonly string[]): Promise<Map<string, AuthenticatedClient>> {
    return findClientsById(this.db, clientIds);
  }

  /** Calls `listener` on every API client change this instance hears of; returns the unsubscribe. */
  onClientChange(listener: ClientChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Forget cached answers (after a revocation on this instance). */
  forget(): void {
    this.generation++;
    this.cache.clear();
    this.knownBad.clear();
  }

  private changed(clientId: string | null): void {
    if (clientId === null) this.forget();
    else {
      this.generation++;
      this.cache.deleteWhere((entry) => entry.client.id === clientId);
      // A token of this client may have been remembered as bad (before an un-revocation).
      this.knownBad.clear();
    }
    for (const listener of this.changeListeners) listener(clientId);
  }
}
