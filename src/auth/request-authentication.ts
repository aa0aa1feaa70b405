// Authentication of a request or a WebSocket upgrade, whatever transport
// receives it: the credential (an Authorization header, else a `?token=`
// parameter: browsers cannot set headers on a WebSocket upgrade), looked up by
// the authenticator, or a 401 problem saying what is wrong with it.
import type { AuthenticatedClient } from '../usecases/client.js';
import { ApiProblem } from '../usecases/problem.js';
import type { AuthenticationFailure, Authenticator } from './authenticator.js';

/** What a request offers as credentials. */
export interface RequestCredentials {
  authorization: string | undefined;
  /** The parsed query string, whose `token` is a credential when no header is sent. */
  query: unknown;
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

/** The API client behind the credentials; a refusal (401, `WWW-Authenticate: Bearer`) otherwise. */
export async function authenticateRequest(authenticator: Pick<Authenticator, 'authenticate'>, credentials: RequestCredentials): Promise<AuthenticatedClient> {
  const token = tokenFrom(credentials.authorization, (credentials.query as Record<string, unknown> | undefined)?.token);
  const result = await authenticator.authenticate(token);
  if (typeof result === 'string') throw unauthenticated(result, { 'www-authenticate': 'Bearer' });
  return result;
}
