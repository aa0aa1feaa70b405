// Every WebSocket of this instance: the heartbeat that ends dead peers, the
// availability flush, and the close with 1001 (going away) on shutdown so
// that clients reconnect to another instance and resume.
import type { FastifyBaseLogger } from 'fastify';
import type WebSocket from 'ws';
import type { OutboxFeed } from '../db/outbox/outbox-feed.js';
import type { UseCaseContext } from '../usecases/context.js';
import { AvailabilityFanout, type AvailabilityLimits } from './availability.js';
import { CLOSE, Connection, type ConnectionLimits, type MessageId } from './connection.js';
import { wsConnections } from '../observability/metrics.js';

export interface WsOptions {
  /** Ping every this often; a peer that has not answered the previous ping is terminated. */
  heartbeatMs: number;
  /** Largest accepted frame; bigger ones are refused with close 1009 by the ws library. */
  maxPayloadBytes: number;
  connection: ConnectionLimits;
  availability: AvailabilityLimits & { flushMs: number };
  /** Events per replay page. */
  replayPageSize: number;
  /** How long clients get to close on shutdown before they are cut. */
  closeGraceMs: number;
}

export const DEFAULT_WS_OPTIONS: WsOptions = {
  heartbeatMs: 15_000,
  maxPayloadBytes: 64 * 1024,
  connection: { ratePerSecond: 20, burst: 40, maxStrikes: 20, maxBufferedBytes: 4 * 1024 * 1024 },
  availability: { flushMs: 100, highWaterBytes: 256 * 1024, maxPending: 10_000 },
  replayPageSize: 200,
  closeGraceMs: 2_000,
};

export class WsHub {
  readonly options: WsOptions;
  readonly availability = new AvailabilityFanout();
  private readonly connections = new Set<Connection>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly detach: () => void;
  private closing = false;

  constructor(readonly ctx: UseCaseContext, readonly feed: OutboxFeed, options: Partial<WsOptions> = {}) {
    this.options = { ...DEFAULT_WS_OPTIONS, ...options };
    this.detach = ctx.sync.onChange((change) => this.availability.publish(change));
    this.timers.push(setInterval(() => this.heartbeat(), this.options.heartbeatMs));
    this.timers.push(setInterval(() => this.availability.flush(), this.options.availability.flushMs));
  }

  get size(): number {
    return this.connections.size;
  }

  /** `channel` labels the snp_ws_connections gauge: professional, coordinator, counter. */
  accept(socket: WebSocket, log: FastifyBaseLogger, onMessage: (message: Record<string, unknown>, id: MessageId) => void | Promise<void>, channel = 'other'): Connection {
    const connection = new Connection(socket, this.options.connection, log, onMessage);
    if (this.closing) {
      connection.close(CLOSE.goingAway, 'server shutting down');
      return connection;
    }
    this.connections.add(connection);
    wsConnections.inc({ channel });
    connection.onClose(() => { this.connections.delete(connection); wsConnections.dec({ channel }); });
    return connection;
  }

  private heartbeat(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.log.info('websocket peer missed a heartbeat; terminated');
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }

  /** Closes every client with 1001 and waits (a bounded time) for them to go. */
  async closeAll(): Promise<void> {
    this.closing = true;
    const open = [...this.connections];
    const gone = Promise.all(open.map((c) => new Promise<void>((resolve) => c.onClose(resolve))));
    for (const connection of open) connection.close(CLOSE.goingAway, 'server shutting down');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), this.options.closeGraceMs); });
    if (await Promise.race([gone, late]) === 'late') for (const connection of open) connection.socket.terminate();
    clearTimeout(timer);
    await gone;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.detach();
    await this.closeAll();
  }
}
