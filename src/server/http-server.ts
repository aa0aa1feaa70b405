// The Node server under Fastify (its serverFactory): HTTP, or HTTPS with
// mutual TLS when configured (src/server/tls-options.ts), with Fastify's own
// timeouts, and gates in front of Fastify's pipeline: one in the request
// handler (src/server/throttle-gate.ts), one on the 'upgrade' event, ahead of
// @fastify/websocket's listener (src/server/upgrade-gate.ts).
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { Duplex } from 'node:stream';

export interface ServerTimeouts {
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
}

/** Answers the request itself (true) or lets Fastify have it (false); `closing`: the server no longer listens. */
export type RawGate = (request: IncomingMessage, response: ServerResponse, closing: () => boolean) => boolean;

/** Answers an upgrade request on its raw socket itself (true) or lets the 'upgrade' listeners (@fastify/websocket) have it (false). */
export type UpgradeGate = (request: IncomingMessage, socket: Duplex, closing: () => boolean) => boolean;

export interface Gates {
  request?: RawGate;
  upgrade?: UpgradeGate;
}

export function serverFactory(tls: ServerOptions | undefined, timeouts: ServerTimeouts, gates: Gates = {}) {
  return (handler: (request: IncomingMessage, response: ServerResponse) => void): Server => {
    const closing = () => !server.listening;
    const gate = gates.request;
    const handle = gate === undefined ? handler : (request: IncomingMessage, response: ServerResponse) => {
      if (!gate(request, response, closing)) handler(request, response);
    };
    const server: Server = tls === undefined ? createHttpServer(handle) : createHttpsServer(tls, handle);
    server.keepAliveTimeout = timeouts.keepAliveTimeout;
    server.requestTimeout = timeouts.requestTimeout;
    server.setTimeout(timeouts.connectionTimeout);
    if (gates.upgrade !== undefined) gateUpgrades(server, gates.upgrade, closing);
    return server;
  };
}

/**
 * Runs `gate` before the server's 'upgrade' listeners, which are registered
 * later, by plugins (@fastify/websocket): an event's listeners cannot stop one
 * another, so the gate sits in the server's emit, seeing 'upgrade' first.
 */
function gateUpgrades(server: Server, gate: UpgradeGate, closing: () => boolean): void {
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  server.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'upgrade' && gate(args[0] as IncomingMessage, args[1] as Duplex, closing)) return true;
    return emit(event, ...args);
  }) as Server['emit'];
}
