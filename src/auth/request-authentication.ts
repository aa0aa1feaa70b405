// Authentication of a request or a WebSocket upgrade, whatever transport
// receives it: the credential (an Authorization header; on a WebSocket upgrade
// only, else a `?token=` parameter: browsers cannot set headers there), looked
// up by the authenticator, or a problem saying what is wrong with it: 401, 400
// for a token in the URL of a plain request (URLs end up in logs, histories and
// proxies), 429 for an address that failed too often.
import type { AuthenticatedClient } from '../usecases/client.js';
import { ApiProblem } from '../usecases/problem.js';
import type { AuthenticationFailure, Authenticator } from './authenticator.js';

/** What a request offers as credentials. */
export interface RequestCredentials {
  authorization: string | undefined;
  /** The parsed (decoded) query string, whose `token` is a credential on an upgrade when no header is sent. */
  query: unknown;
  /** A WebSocket upgrade request (the only kind that may carry `?token=`). */
  upgrade?: boolean;
  /** The peer's address, charged for failures. */
  source?: string;
}

const FAILURE_DETAIL: Record<AuthenticationFailure, string> = {
  missing: 'send Authorization: Bearer <token>',
  malformed: 'the bearer token is malformed',
  unknown: 'the token is unknown, expired or revoked',
};

/** The token of an Authorization header (`Bearer x`) or of a `?token=` parameter. */
export function tokenFrom(authorization: string | undefined, queryToken: unknown): string | undefined {
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : '';
  }
  return typeof queryToken === 'string' ? queryToken : undefined;
}

export function unauthenticated(failure: AuthenticationFailure, headers: Record<string, string> = {}): ApiProblem {
  return new ApiProblem(401, 'unauthenticated', 'Unauthenticated', FAILURE_DETAIL[failure], {}, headers);
}

function tokenInUrl(): ApiProblem {
  return new ApiProblem(400, 'credential-in-url', 'Credential in the URL',
    'a token is accepted in the query string on WebSocket upgrades only; send Authorization: Bearer <token>',
    { errors: [{ field: 'query.token', message: 'not accepted here' }] });
}

export function throttled(retryAfterSeconds: number): ApiProblem {
  return new ApiProblem(429, 'authentication-throttled', 'Too many failed authentications',
    `too many failed authentications from this address; retry in ${retryAfterSeconds} s`, {}, { 'retry-after': String(retryAfterSeconds) });
}

/** The API client behind the credentials; a refusal (401 with `WWW-Authenticate: Bearer`, 400, 429) otherwise. */
export async function authenticateRequest(authenticator: Pick<Authenticator, 'authenticate' | 'chargeFailure'>, credentials: RequestCredentials): Promise<AuthenticatedClient> {
  const query = credentials.query as Record<string, unknown> | undefined;
  const queryToken = query !== undefined && query !== null && Object.hasOwn(query, 'token') ? query.token : undefined;
  if (queryToken !== undefined && credentials.upgrade !== true) {
    // Counted as a failure of its address: the same budget as a wrong token.
    const refused = authenticator.chargeFailure(credentials.source);
    throw refused === undefined ? tokenInUrl() : throttled(refused.retryAfterSeconds);
  }
  const token = tokenFrom(credentials.authorization, queryToken);
  const result = await authenticator.authenticate(token, credentials.source);
  if (typeof result === 'string') throw unauthenticated(result, { 'www-authenticate': 'Bearer' });
  if ('throttled' in result) throw throttled(result.retryAfterSeconds);
  return result;
}
