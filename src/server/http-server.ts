// The Node server under Fastify (its serverFactory): HTTP, or HTTPS with
// mutual TLS when configured (src/server/tls-options.ts), with Fastify's own
// timeouts, and a gate in front of Fastify's pipeline (src/server/throttle-gate.ts).
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';

export interface ServerTimeouts {
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
}

/** Answers the request itself (true) or lets Fastify have it (false); `closing`: the server no longer listens. */
export type RawGate = (request: IncomingMessage, response: ServerResponse, closing: () => boolean) => boolean;

export function serverFactory(tls: ServerOptions | undefined, timeouts: ServerTimeouts, gate?: RawGate) {
  return (handler: (request: IncomingMessage, response: ServerResponse) => void): Server => {
    const closing = () => !server.listening;
    const handle = gate === undefined ? handler : (request: IncomingMessage, response: ServerResponse) => {
      if (!gate(request, response, closing)) handler(request, response);
    };
    const server: Server = tls === undefined ? createHttpServer(handle) : createHttpsServer(tls, handle);
    server.keepAliveTimeout = timeouts.keepAliveTimeout;
    server.requestTimeout = timeouts.requestTimeout;
    server.setTimeout(timeouts.connectionTimeout);
    return server;
  };
}
