// Long-lived connections (WebSockets) bound to the credential they opened
// with. HTTP re-authenticates every request; a socket authenticates once, at
// its upgrade, so its credential is watched instead: a lease per connection
// that ends — and the transport closes the connection — when the client is
// revoked or deleted, when its token expires, or when its role, territories or
// professional change (the scope it was authorised for no longer holds).
//
// Heard within milliseconds on every instance through the authenticator's
// change notifications (sql/008); re-checked every `sweepMs` should a
// notification be lost; an expiry needs no notification (a timer, and a check
// of the clock on every use). `lease.active` is a field read: cheap enough to
// check before every message handled and every push sent.
import type { Logger } from 'pino';
import type { AuthenticatedClient } from '../usecases/client.js';
import type { Authenticator } from './authenticator.js';
import { LruMap } from './lru-map.js';

/** WebSocket close codes (4000–4999: private use, RFC 6455 §7.4.2). */
export const CREDENTIAL_CLOSE = {
  /** The token was revoked, expired or deleted: authenticate again. */
  revoked: { code: 4401, reason: 'credential revoked or expired' },
  /** The client's role, territories or professional changed: reconnect to be authorised afresh. */
  scopeChanged: { code: 4403, reason: 'scope changed; reconnect' },
} as const;

export type CredentialEnd = (typeof CREDENTIAL_CLOSE)[keyof typeof CREDENTIAL_CLOSE];

// A socket authenticated (from the cache) just before a change was heard may
// bind just after: changes this recent are re-checked at binding.
const RECENT_CHANGE_MS = 10_000;
const RECHECK_BATCH = 1_000;
// setTimeout's largest delay; a later expiry is caught by the next sweep.
const MAX_TIMER_MS = 2_147_483_647;

export class CredentialLease {
  private ended = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly client: AuthenticatedClient, private readonly onEnd: (end: CredentialEnd) => void, private readonly unregister: () => void) {
    this.armExpiry(client.expiresAt ?? null);
  }

  /** True while the credential still holds; false for ever once it ended. */
  get active(): boolean {
    if (!this.ended && this.client.expiresAt != null && this.client.expiresAt.getTime() <= Date.now()) this.end(CREDENTIAL_CLOSE.revoked);
    return !this.ended;
  }

  /** The connection is gone: stop watching. */
  release(): void {
    this.ended = true;
    clearTimeout(this.timer);
    this.unregister();
  }

  /**
   * The client as the database has it now (null: gone). A person's socket
   * (client.sessionId) also ends with its session: `sessionExpiresAt` is the
   * session's expiry when it is still live, null when it ended.
   */
  recheck(current: AuthenticatedClient | null, sessionExpiresAt?: Date | null): void {
    if (this.ended) return;
    if (current === null || sessionExpiresAt === null) return this.end(CREDENTIAL_CLOSE.revoked);
    if (!sameScope(this.client, current)) return this.end(CREDENTIAL_CLOSE.scopeChanged);
    const expiresAt = sessionExpiresAt ?? current.expiresAt ?? null;
    if ((expiresAt?.getTime() ?? null) !== (this.client.expiresAt?.getTime() ?? null)) {
      this.client.expiresAt = expiresAt;
      this.armExpiry(expiresAt);
    }
  }

  end(end: CredentialEnd): void {
    if (this.ended) return;
    this.release();
    this.onEnd(end);
  }

  private armExpiry(expiresAt: Date | null): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (expiresAt === null) return;
    const delay = expiresAt.getTime() - Date.now();
    if (delay > MAX_TIMER_MS) return;
    this.timer = setTimeout(() => this.end(CREDENTIAL_CLOSE.revoked), Math.max(0, delay));
  }
}

function sameScope(a: AuthenticatedClient, b: AuthenticatedClient): boolean {
  const territories = (client: AuthenticatedClient) => [...client.territories].sort().join('\n');
  return a.role === b.role && a.professionalId === b.professionalId && territories(a) === territories(b);
}

/** People's browser sessions (src/auth/session/session-store.ts): the live ones among these, with their expiry. */
export interface SessionLookup {
  live(sessionIds: readonly string[]): Promise<Map<string, Date>>;
}

export interface CredentialWatchOptions {
  /** Sockets opened with a session cookie end with their session (logout, expiry, person disabled). */
  sessions?: SessionLookup;
  /** Every lease is re-checked this often, should a change notification be lost (default 30 s). */
  sweepMs?: number;
  logger?: Logger;
}

export class CredentialWatch {
  private readonly byClient = new Map<string, Set<CredentialLease>>();
  private readonly changedAt = new LruMap<string, number>(10_000);
  private everythingChangedAt = 0;
  private readonly detach: () => void;
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly authenticator: Pick<Authenticator, 'current' | 'onClientChange'>, private readonly options: CredentialWatchOptions = {}) {
    this.detach = authenticator.onClientChange((clientId) => {
      if (clientId === null) this.everythingChangedAt = Date.now();
      else this.changedAt.set(clientId, Date.now());
      void this.recheck(clientId);
    });
    this.sweep = setInterval(() => void this.recheck(null), options.sweepMs ?? 30_000);
  }

  /** Watches a connection's credential; `onEnd` is called once if it stops holding. */
  bind(client: AuthenticatedClient, onEnd: (end: CredentialEnd) => void): CredentialLease {
    let leases = this.byClient.get(client.id);
    if (leases === undefined) this.byClient.set(client.id, leases = new Set());
    const lease: CredentialLease = new CredentialLease({ ...client }, onEnd, () => {
      leases.delete(lease);
      if (leases.size === 0 && this.byClient.get(client.id) === leases) this.byClient.delete(client.id);
    });
    leases.add(lease);
    const lastChange = Math.max(this.everythingChangedAt, this.changedAt.get(client.id) ?? 0);
    if (Date.now() - lastChange < RECENT_CHANGE_MS) void this.recheck(client.id);
    return lease;
  }

  /** How many connections hold this client's credential now. */
  count(clientId: string): number {
    return this.byClient.get(clientId)?.size ?? 0;
  }

  /** Re-checks the leases of one client (null: of every client) against the database, a query per thousand clients. */
  async recheck(clientId: string | null): Promise<void> {
    const ids = clientId === null ? [...this.byClient.keys()] : this.byClient.has(clientId) ? [clientId] : [];
    for (let from = 0; from < ids.length; from += RECHECK_BATCH) {
      const batch = ids.slice(from, from + RECHECK_BATCH);
      let current: Map<string, AuthenticatedClient>;
      let sessions = new Map<string, Date>();
      try {
        current = await this.authenticator.current(batch);
        const sessionIds = batch.flatMap((id) => [...this.byClient.get(id) ?? []].flatMap((lease) => lease.client.sessionId ?? []));
        if (sessionIds.length > 0 && this.options.sessions !== undefined) sessions = await this.options.sessions.live(sessionIds);
      } catch (error) {
        // The database is away: keep the connections; the next sweep or notification re-checks.
        this.options.logger?.warn({ err: (error as Error).message }, 'credential re-check failed');
        return;
      }
      for (const id of batch) {
        for (const lease of [...this.byClient.get(id) ?? []]) {
          const sessionId = lease.client.sessionId;
          lease.recheck(current.get(id) ?? null, sessionId === undefined ? undefined : sessions.get(sessionId) ?? null);
        }
      }
    }
  }

  stop(): void {
    this.detach();
    clearInterval(this.sweep);
  }
}
