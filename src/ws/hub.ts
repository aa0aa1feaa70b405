// Every WebSocket of this instance: the heartbeat that ends dead peers, the
// availability flush, the close with 1001 (going away) on shutdown so that
// clients reconnect to another instance and resume, and what binds a socket to
// its client: its credential (closed 4401/4403 when it ends), the client's
// message budget, and a cap on the sockets one client holds at once.
import type { FastifyBaseLogger } from 'fastify';
import type WebSocket from 'ws';
import { rateLimited } from '../auth/client-rate-limit.js';
import type { ClientBudget } from '../auth/client-budget.js';
import type { CredentialLease, CredentialWatch } from '../auth/credential-watch.js';
import type { AuthenticatedClient } from '../usecases/client.js';
import type { OutboxFeed } from '../db/outbox/outbox-feed.js';
import { ApiProblem } from '../usecases/problem.js';
import type { UseCaseContext } from '../usecases/context.js';
import { AvailabilityFanout, type AvailabilityLimits } from './availability.js';
import { CLOSE, Connection, type ConnectionGuards, type ConnectionLimits, type MessageId } from './connection.js';
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
  /** Sockets one API client may hold open at once on this instance; beyond, the upgrade is a 429. */
  maxSocketsPerClient: number;
}

/** What binds sockets to their clients: the credential watch, the per-client budget shared with HTTP. */
export interface WsSecurity {
  credentials: CredentialWatch;
  budget: ClientBudget;
}

/**
 * How many sockets a client holds on this instance, against its cap: what a
 * gate in front of the router reads (src/server/upgrade-gate.ts) to refuse an
 * upgrade before Fastify runs; a map read, no lookup.
 */
export interface SocketCap {
  /** Sockets one client may hold open at once on this instance (WS_MAX_SOCKETS_PER_CLIENT). */
  readonly maxSocketsPerClient: number;
  /** Sockets the client holds open on this instance now. */
  openSockets(clientId: string): number;
}

/** The 429 for one more socket of a client holding `open` sockets, at most `max`. */
export function tooManySockets(open: number, max: number): ApiProblem {
  return new ApiProblem(429, 'too-many-sockets', 'Too many sockets',
    `this client already holds ${open} sockets (at most ${max}); close one first`, {}, { 'retry-after': '1' });
}

/** Close code of a socket over its client's cap (raced past the upgrade's check). */
export const TOO_MANY_SOCKETS = { code: 4429, reason: 'too many sockets for this client' } as const;

export const DEFAULT_WS_OPTIONS: WsOptions = {
  heartbeatMs: 15_000,
  maxPayloadBytes: 64 * 1024,
  connection: { ratePerSecond: 20, burst: 40, maxStrikes: 20, maxBufferedBytes: 4 * 1024 * 1024 },
  availability: { flushMs: 100, highWaterBytes: 256 * 1024, maxPending: 10_000 },
  replayPageSize: 200,
  closeGraceMs: 2_000,
  maxSocketsPerClient: 10,
};

export class WsHub implements SocketCap {
  readonly options: WsOptions;
  readonly availability = new AvailabilityFanout();
  private readonly connections = new Set<Connection>();
  private readonly socketsByClient = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly detach: () => void;
  private closing = false;

  constructor(readonly ctx: UseCaseContext, readonly feed: OutboxFeed, options: Partial<WsOptions> = {}, private readonly security?: WsSecurity) {
    this.options = { ...DEFAULT_WS_OPTIONS, ...options };
    this.detach = ctx.sync.onChange((change) => this.availability.publish(change));
    this.timers.push(setInterval(() => this.heartbeat(), this.options.heartbeatMs));
    this.timers.push(setInterval(() => this.availability.flush(), this.options.availability.flushMs));
  }

  get size(): number {
    return this.connections.size;
  }

  get maxSocketsPerClient(): number {
    return this.options.maxSocketsPerClient;
  }

  openSockets(clientId: string): number {
    return this.socketsByClient.get(clientId) ?? 0;
  }

  /** Refuses (429) an upgrade of a client already holding its cap of sockets here. */
  admitUpgrade(client: AuthenticatedClient): void {
    const open = this.openSockets(client.id);
    if (open >= this.options.maxSocketsPerClient) throw tooManySockets(open, this.options.maxSocketsPerClient);
  }

  /**
   * `channel` labels the snp_ws_connections gauge: professional, coordinator,
   * counter. With a `client`, the socket is bound to its credential and charges
   * its budget.
   */
  accept(socket: WebSocket, log: FastifyBaseLogger, onMessage: (message: Record<string, unknown>, id: MessageId) => void | Promise<void>, channel = 'other', client?: AuthenticatedClient): Connection {
    const guards: ConnectionGuards = {};
    let lease: CredentialLease | undefined;
    if (client !== undefined && this.security !== undefined) {
      const { credentials, budget } = this.security;
      guards.credential = lease = credentials.bind(client, (end) => {
        log.info({ client: client.id, code: end.code }, 'websocket closed: its credential ended');
        connection.close(end.code, end.reason);
      });
      guards.charge = () => {
        const wait = budget.take(client.id);
        return wait === undefined ? undefined : rateLimited(budget, wait, 'requests and messages');
      };
    }
    const connection = new Connection(socket, this.options.connection, log, onMessage, guards);
    connection.onClose(() => lease?.release());
    if (this.closing) {
      connection.close(CLOSE.goingAway, 'server shutting down');
      return connection;
    }
    if (client !== undefined) {
      const open = (this.socketsByClient.get(client.id) ?? 0) + 1;
      this.socketsByClient.set(client.id, open);
      connection.onClose(() => {
        const left = (this.socketsByClient.get(client.id) ?? 1) - 1;
        if (left <= 0) this.socketsByClient.delete(client.id);
        else this.socketsByClient.set(client.id, left);
      });
      if (open > this.options.maxSocketsPerClient) {
        connection.close(TOO_MANY_SOCKETS.code, TOO_MANY_SOCKETS.reason);
        return connection;
      }
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
