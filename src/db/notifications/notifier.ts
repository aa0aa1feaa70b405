// One notification connection per instance, multiplexing every LISTEN channel
// (as graphile-worker does with its single listener). It is a dedicated
// connection, never from the pool: a pooled client is shared and recycled, and
// would lose its LISTEN.
//
// Notifications are hints only. After every (re)connection each subscriber's
// `onConnected` runs, so each catches up on whatever it missed while
// disconnected; each consumer keeps its own backstop pass.
import pg from 'pg';
import { backoffDelay, type BackoffOptions } from '../sync/backoff.js';

export const NOTIFIER_APPLICATION_NAME = 'snp-match:notifier';

export interface NotifierOptions {
  url: string;
  heartbeatMs?: number;
  backoff?: BackoffOptions;
}

export interface SubscriberOptions {
  channels: readonly string[];
  /** `fromSelf`: sent on this very connection (an after-commit hint of this instance, src/db/slot-change-hint.ts). */
  onNotification: (channel: string, payload: string, fromSelf: boolean) => void;
  /** After each connection on which this subscriber's channels are LISTENed: catch up. */
  onConnected: () => void;
  onDisconnected?: (error: Error | null) => void;
}

export interface Subscription {
  /** Resolves once this subscriber's channels are LISTENed (connecting the notifier if needed). */
  listening(): Promise<void>;
  unsubscribe(): Promise<void>;
}

interface Subscriber extends SubscriberOptions {
  live: boolean;
  waiters: (() => void)[];
}

export class Notifier {
  private readonly subscribers = new Set<Subscriber>();
  private readonly listened = new Set<string>();
  private client: pg.Client | null = null;
  private connected = false;
  private started = false;
  private stopped = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private connecting: Promise<void> | null = null;
  private answeredSinceBeat = false;
  /** The backend pid of the current connection (tests terminate it on purpose). */
  backendPid: number | null = null;

  constructor(private readonly options: NotifierOptions) {}

  get isConnected(): boolean {
    return this.connected;
  }

  /** Starts connecting (retrying until it succeeds); idempotent. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.connect();
  }

  subscribe(options: SubscriberOptions): Subscription {
    const subscriber: Subscriber = { ...options, live: false, waiters: [] };
    this.subscribers.add(subscriber);
    if (this.client !== null && this.connected) this.activate(this.client, subscriber);
    return {
      listening: () => {
        if (subscriber.live || this.stopped) return Promise.resolve();
        this.start();
        return new Promise((resolve) => subscriber.waiters.push(resolve));
      },
      unsubscribe: () => this.unsubscribe(subscriber),
    };
  }

  /**
   * One statement on the notifier's connection, for short reads and NOTIFYs
   * that must not queue behind the service pool. Rejects while disconnected.
   */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>>;
  async query<R extends unknown[] = unknown[]>(config: pg.QueryArrayConfig): Promise<pg.QueryArrayResult<R>>;
  async query(config: pg.QueryConfig | pg.QueryArrayConfig): Promise<pg.QueryResult | pg.QueryArrayResult> {
    const client = this.client;
    if (client === null || !this.connected) throw new Error('notifier connection is down');
    const result = await client.query(config as pg.QueryConfig);
    this.answeredSinceBeat = true;
    return result;
  }

  private async unsubscribe(subscriber: Subscriber): Promise<void> {
    if (!this.subscribers.delete(subscriber)) return;
    for (const resolve of subscriber.waiters.splice(0)) resolve();
    const stillWanted = new Set([...this.subscribers].flatMap((s) => s.channels));
    const dropped = [...new Set(subscriber.channels)].filter((channel) => !stillWanted.has(channel) && this.listened.delete(channel));
    const client = this.client;
    if (client === null || !this.connected) return;
    // Queued at once, in order: a LISTEN by a later subscriber lands after them.
    await Promise.all(dropped.map((channel) => client.query(`unlisten ${pg.escapeIdentifier(channel)}`).catch(() => {})));
  }

  private connect(): void {
    if (this.stopped || this.connecting !== null) return;
    this.connecting = this.tryConnect().finally(() => { this.connecting = null; });
  }

  private async tryConnect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
      connectionTimeoutMillis: 5_000,
      application_name: NOTIFIER_APPLICATION_NAME,
      // The NOTIFYs sent from here are hints: no need to wait for their flush (src/db/slot-change-hint.ts).
      options: '-c synchronous_commit=off',
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (message) => this.dispatch(message.channel, message.payload ?? '', message.processId === this.backendPid));
    try {
      await client.connect();
      this.listened.clear();
      await this.listenOn(client, [...this.subscribers].flatMap((s) => s.channels));
      const pid = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      this.backendPid = pid.rows[0]?.pid ?? null;
    } catch (error) {
      client.removeAllListeners('end');
      client.end().catch(() => {});
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) { await client.end().catch(() => {}); return; }
    this.client = client;
    this.connected = true;
    this.attempt = 0;
    this.startHeartbeat(client);
    // Every subscriber catches up, whether this is the first connection or a reconnection.
    for (const subscriber of this.subscribers) this.activate(client, subscriber);
  }

  // LISTEN (a subscriber may have come while connecting), then catch up. A
  // failed LISTEN means a failing connection: `lost` follows and retries.
  private activate(client: pg.Client, subscriber: Subscriber): void {
    this.listenOn(client, subscriber.channels).then(() => {
      if (this.client === client && this.connected) this.goLive(subscriber);
    }, () => {});
  }

  private async listenOn(client: pg.Client, channels: readonly string[]): Promise<void> {
    for (const channel of new Set(channels)) {
      if (this.listened.has(channel)) continue;
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      this.listened.add(channel);
    }
  }

  private goLive(subscriber: Subscriber): void {
    if (!this.subscribers.has(subscriber)) return;
    subscriber.live = true;
    try { subscriber.onConnected(); } catch { /* one subscriber's failure must not keep the others behind */ }
    for (const resolve of subscriber.waiters.splice(0)) resolve();
  }

  private dispatch(channel: string, payload: string, fromSelf: boolean): void {
    this.answeredSinceBeat = true;
    for (const subscriber of this.subscribers) {
      if (!subscriber.live || !subscriber.channels.includes(channel)) continue;
      try { subscriber.onNotification(channel, payload, fromSelf); } catch { /* a hint: the subscriber's next pass covers it */ }
    }
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client) return;
    this.client = null;
    this.connected = false;
    this.backendPid = null;
    this.listened.clear();
    this.stopHeartbeat();
    client.removeAllListeners();
    client.on('error', () => {});
    client.end().catch(() => {});
    for (const subscriber of this.subscribers) {
      subscriber.live = false;
      subscriber.onDisconnected?.(error);
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== null) return;
    const delay = backoffDelay(this.attempt++, this.options.backoff ?? { baseMs: 100, capMs: 10_000 });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  // A half-open TCP connection (a server gone without a FIN) never errors by
  // itself: a periodic round trip finds it. An answer to another statement in
  // the period proves the connection as well (a `select 1` would queue behind
  // that statement and could time out on a busy but healthy connection).
  private startHeartbeat(client: pg.Client): void {
    const every = this.options.heartbeatMs ?? 5_000;
    this.answeredSinceBeat = false;
    this.heartbeatTimer = setInterval(() => {
      if (this.answeredSinceBeat) { this.answeredSinceBeat = false; return; }
      const timeout = setTimeout(() => this.lost(client, new Error('notifier heartbeat timed out')), every);
      client.query('select 1').then(
        () => clearTimeout(timeout),
        (error: Error) => { clearTimeout(timeout); this.lost(client, error); },
      );
    }, every);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopHeartbeat();
    for (const subscriber of this.subscribers) for (const resolve of subscriber.waiters.splice(0)) resolve();
    await this.connecting?.catch(() => {});
    const client = this.client;
    this.client = null;
    this.connected = false;
    if (client !== null) {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
    }
  }
}
