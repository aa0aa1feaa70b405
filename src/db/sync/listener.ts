// The LISTEN side of the sync, on a dedicated connection (never from the pool:
// a pooled client is shared and recycled, and would lose its LISTEN).
// Notifications are hints only. After every (re)connection `onConnected` runs,
// so the consumer catches up on whatever it missed while disconnected.
import pg from 'pg';
import { backoffDelay, type BackoffOptions } from './backoff.js';

export interface ListenerOptions {
  url: string;
  channels: readonly string[];
  onNotification: (channel: string, payload: string) => void;
  onConnected: () => void;
  onDisconnected?: (error: Error | null) => void;
  heartbeatMs?: number;
  backoff?: BackoffOptions;
  applicationName?: string;
}

export class PgListener {
  private client: pg.Client | null = null;
  private connected = false;
  private stopped = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private connecting: Promise<void> | null = null;
  /** The backend pid of the current connection (tests terminate it on purpose). */
  backendPid: number | null = null;

  constructor(private readonly options: ListenerOptions) {}

  get isConnected(): boolean {
    return this.connected;
  }

  /** Resolves after the first successful connection, retrying until then. */
  start(): Promise<void> {
    return new Promise((resolve) => {
      const original = this.options.onConnected;
      let first = true;
      this.options.onConnected = () => {
        original();
        if (first) { first = false; resolve(); }
      };
      this.connect();
    });
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
      application_name: this.options.applicationName ?? 'snp-match:listener',
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (message) => this.options.onNotification(message.channel, message.payload ?? ''));
    try {
      await client.connect();
      for (const channel of this.options.channels) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      const pid = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      this.backendPid = pid.rows[0]?.pid ?? null;
    } catch (error) {
      client.removeAllListeners('end');
      client.end().catch(() => {});
      this.scheduleReconnect(error as Error);
      return;
    }
    if (this.stopped) { await client.end().catch(() => {}); return; }
    this.client = client;
    this.connected = true;
    this.attempt = 0;
    this.startHeartbeat(client);
    this.options.onConnected();
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client) return;
    this.client = null;
    this.connected = false;
    this.backendPid = null;
    this.stopHeartbeat();
    client.removeAllListeners();
    client.on('error', () => {});
    client.end().catch(() => {});
    this.options.onDisconnected?.(error);
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(_error: Error | null): void {
    if (this.stopped || this.reconnectTimer !== null) return;
    const delay = backoffDelay(this.attempt++, this.options.backoff ?? { baseMs: 100, capMs: 10_000 });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  // A half-open TCP connection (a server gone without a FIN) never errors by
  // itself: a periodic round trip finds it.
  private startHeartbeat(client: pg.Client): void {
    const every = this.options.heartbeatMs ?? 5_000;
    this.heartbeatTimer = setInterval(() => {
      const timeout = setTimeout(() => this.lost(client, new Error('listener heartbeat timed out')), every);
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
