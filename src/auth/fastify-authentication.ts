// The Fastify side of src/auth/request-authentication.ts, for every transport
// served by Fastify (the /v1 routes, the WebSocket upgrades, /fhir): a hook that
// authenticates each request of a scope, and the client it found.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthenticatedClient } from '../usecases/client.js';
import type { Authenticator } from './authenticator.js';
import { authenticateByCertificate } from './certificate-authentication.js';
import { authenticateRequest, unauthenticated } from './request-authentication.js';

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
  scope.addHook('onRequest', async (request) => {
    // A client certificate (mutual TLS), when the connection presents one; else the bearer token.
    const byCertificate = await authenticateByCertificate(scope, request, authenticator);
    if (byCertificate !== undefined) {
      request.apiClient = byCertificate;
      return;
    }
    request.apiClient = await authenticateRequest(authenticator, {
      authorization: request.headers.authorization, query: request.query, upgrade: isWebSocketUpgrade(request), source: request.ip,
    });
  });
}

/** The client of a request in an authenticated scope. */
export function clientOf(request: FastifyRequest): AuthenticatedClient {
  if (request.apiClient === null) throw unauthenticated('missing');
  return request.apiClient;
}
