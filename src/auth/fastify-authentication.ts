// The Fastify side of src/auth/request-authentication.ts, for every transport
// served by Fastify (the /v1 routes, the WebSocket upgrades, /fhir): a hook that
// authenticates each request of a scope, and the client it found.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthenticatedClient } from '../usecases/client.js';
import type { Authenticator } from './authenticator.js';
import { authenticateByCertificate } from './certificate-authentication.js';
import { authenticateRequest, throttled, tokenFrom, unauthenticated } from './request-authentication.js';
import { ApiProblem } from '../usecases/problem.js';
import { authenticateSession, CSRF_HEADER, type SessionAuthentication } from './session/session-authentication.js';

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

/**
 * Adds the authentication hook to the routes of this (encapsulated) scope. With
 * `sessions`, a request without a bearer token (header or `?token=`) may be a
 * person's browser with its session cookie.
 */
export function requireAuthentication(scope: FastifyInstance, authenticator: Authenticator, sessions?: SessionAuthentication): void {
  scope.decorateRequest('apiClient', null);
  // Callback style, so that the common case (a bearer token in the cache) costs no promise. Where client
  // certificates are configured, a connection's certificate is judged first (a bearer token never rescues
  // a refused one), so every request takes the full path there.
  scope.addHook('onRequest', (request, _reply, done) => {
    const cached = scope.clientCertificates === undefined ? cachedBearer(authenticator, request) : undefined;
    if (cached !== undefined) {
      request.apiClient = cached;
      done();
      return;
    }
    authenticateSlowly(scope, request, authenticator, sessions).then((client) => { request.apiClient = client; done(); }, done);
  });
}

/**
 * A client certificate (mutual TLS) when the connection presents one; else a person's session cookie
 * (when the request carries no bearer token); else the bearer token looked up.
 */
async function authenticateSlowly(scope: FastifyInstance, request: FastifyRequest, authenticator: Authenticator,
  sessions: SessionAuthentication | undefined): Promise<AuthenticatedClient> {
  const byCertificate = await authenticateByCertificate(scope, request, authenticator);
  if (byCertificate !== undefined) return byCertificate;
  if (sessions !== undefined && request.headers.authorization === undefined && !hasQueryToken(request.query)) {
    const csrf = request.headers[CSRF_HEADER];
    // A cookie guesser is held to the same failure budget per address as a token guesser.
    const person = await authenticateSession(sessions, {
      method: request.method, cookie: request.headers.cookie, origin: request.headers.origin,
      csrfToken: typeof csrf === 'string' ? csrf : undefined, upgrade: isWebSocketUpgrade(request),
      throttle: () => authenticator.throttledFor(request.ip),
    }).catch((error: unknown) => {
      if (error instanceof ApiProblem && error.body.status === 401) {
        const refused = authenticator.chargeFailure(request.ip);
        if (refused !== undefined) throw throttled(refused.retryAfterSeconds);
      }
      throw error;
    });
    if (person !== null) return person;
  }
  return authenticateRequest(authenticator, {
    authorization: request.headers.authorization, query: request.query, upgrade: isWebSocketUpgrade(request), source: request.ip,
  });
}

function hasQueryToken(query: unknown): boolean {
  return typeof query === 'object' && query !== null && Object.hasOwn(query, 'token');
}

/** The client of an `Authorization: Bearer` token the authenticator has cached, when no `?token=` needs refusing or charging. */
function cachedBearer(authenticator: Authenticator, request: FastifyRequest): AuthenticatedClient | undefined {
  const query = request.query as Record<string, unknown> | null | undefined;
  if (query != null && Object.hasOwn(query, 'token')) return undefined;
  const authorization = request.headers.authorization;
  if (authorization === undefined) return undefined;
  // A connection to remember it on: always over a socket; light-my-request's stand-in, or none, when injected.
  const connection = request.raw.socket as object | null | undefined;
  if (connection != null) return authenticator.cachedClientOn(connection, authorization);
  const token = tokenFrom(authorization, undefined);
  return token === undefined || token === '' ? undefined : authenticator.cachedClient(token);
}

/** The client of a request in an authenticated scope. */
export function clientOf(request: FastifyRequest): AuthenticatedClient {
  if (request.apiClient === null) throw unauthenticated('missing');
  return request.apiClient;
}
