// The Fastify side of src/auth/request-authentication.ts, for every transport
// served by Fastify (the /v1 routes, the WebSocket upgrades, /fhir): a hook that
// authenticates each request of a scope, and the client it found.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthenticatedClient } from '../usecases/client.js';
import type { Authenticator } from './authenticator.js';
import { authenticateRequest, tokenFrom, unauthenticated } from './request-authentication.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiClient: AuthenticatedClient | null;
  }
}

/** A WebSocket upgrade (RFC 6455 §4.1): the one request that may carry `?token=`. */
export function isWebSocketUpgrade(request: FastifyRequest): boolean {
  const upgrade = request.headers.upgrade;
  return request.method === 'GET' && typeof upgrade === 'string' && upgrade.toLowerCase() === 'websocket';
}

/** Adds the authentication hook to the routes of this (encapsulated) scope. */
export function requireAuthentication(scope: FastifyInstance, authenticator: Authenticator): void {
  scope.decorateRequest('apiClient', null);
  // Callback style, so that the common case (a bearer token in the cache) costs no promise.
  scope.addHook('onRequest', (request, _reply, done) => {
    const cached = cachedBearer(authenticator, request);
    if (cached !== undefined) {
      request.apiClient = cached;
      done();
      return;
    }
    authenticateRequest(authenticator, {
      authorization: request.headers.authorization, query: request.query, upgrade: isWebSocketUpgrade(request), source: request.ip,
    }).then((client) => { request.apiClient = client; done(); }, done);
  });
}

/** The client of an `Authorization: Bearer` token the authenticator has cached, when no `?token=` needs refusing or charging. */
function cachedBearer(authenticator: Authenticator, request: FastifyRequest): AuthenticatedClient | undefined {
  const query = request.query as Record<string, unknown> | null | undefined;
  if (query != null && Object.hasOwn(query, 'token')) return undefined;
  const token = tokenFrom(request.headers.authorization, undefined);
  return token === undefined || token === '' ? undefined : authenticator.cachedClient(token);
}

/** The client of a request in an authenticated scope. */
export function clientOf(request: FastifyRequest): AuthenticatedClient {
  if (request.apiClient === null) throw unauthenticated('missing');
  return request.apiClient;
}
