// The session credential: a person's browser, authenticated by its session
// cookie, for the /v1 routes and WebSocket upgrades (src/auth/fastify-authentication.ts
// tries it when a request carries no bearer token). A cookie is sent by the
// browser whoever made the page, so a request that could change something
// must prove it comes from our pages: unsafe methods need our Origin and the
// session's CSRF token in `x-csrf-token`; an upgrade needs our Origin (a
// cross-site page could otherwise open a socket with the person's cookie).
import { timingSafeEqual } from 'node:crypto';
import type { AuthenticatedClient } from '../../usecases/client.js';
import { ApiProblem } from '../../usecases/problem.js';
import { readCookie, type CookiePolicy } from './session-cookie.js';
import type { SessionStore } from './session-store.js';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface SessionRequest {
  method: string;
  cookie: string | undefined;
  origin: string | undefined;
  csrfToken: string | undefined;
  upgrade: boolean;
  /** Seconds to wait when the request's address failed too often (then no lookup is made). */
  throttle?: () => number | undefined;
}

export interface SessionAuthentication {
  store: SessionStore;
  cookie(): CookiePolicy;
  /** Our pages' origin (PUBLIC_BASE_URL's), known once the server listens. */
  origin(): string;
}

function forbidden(field: string, detail: string): ApiProblem {
  const problem = new ApiProblem(403, 'csrf', 'Cross-site request refused', detail, { errors: [{ field, message: detail }] });
  problem.fieldsNamed = true;
  return problem;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The person behind the session cookie; null when the request carries none; 401/403 problems otherwise. */
export async function authenticateSession(auth: SessionAuthentication, request: SessionRequest): Promise<AuthenticatedClient | null> {
  const id = readCookie(request.cookie, auth.cookie().name);
  if (id === undefined || id === '') return null;
  const wait = request.throttle?.();
  if (wait !== undefined) {
    throw new ApiProblem(429, 'authentication-throttled', 'Too many failed authentications',
      `too many failed authentications from this address; retry in ${wait} s`, {}, { 'retry-after': String(wait) });
  }
  const session = await auth.store.find(id);
  if (session === null) {
    throw new ApiProblem(401, 'unauthenticated', 'Unauthenticated', 'the session is unknown, ended or expired; log in again', {}, { 'www-authenticate': 'Bearer' });
  }
  const unsafe = request.upgrade || !SAFE_METHODS.has(request.method);
  if (unsafe && request.origin !== auth.origin()) {
    throw forbidden('headers.origin', `a request with the session cookie must come from ${auth.origin()}`);
  }
  if (!request.upgrade && unsafe && (request.csrfToken === undefined || !sameSecret(request.csrfToken, session.csrfToken))) {
    throw forbidden(`headers.${CSRF_HEADER}`, `send the session's CSRF token (GET /app/api/session) in ${CSRF_HEADER}`);
  }
  return session.client;
}
