// Every /v1 and /fhir request carries a bearer token of an API client.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tokenFrom, type Authenticator } from '../../auth/authenticator.js';
import type { AuthenticatedClient } from '../../usecases/client.js';
import { ApiProblem } from '../../usecases/problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiClient: AuthenticatedClient | null;
  }
}

const FAILURE_DETAIL = {
  missing: 'send Authorization: Bearer <token>',
  malformed: 'the bearer token is malformed',
  unknown: 'the token is unknown, expired or revoked',
} as const;

/** Adds the authentication hook to the routes of this (encapsulated) plugin. */
export function requireAuthentication(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('apiClient', null);
  app.addHook('onRequest', async (request) => {
    const token = tokenFrom(request.headers.authorization, (request.query as Record<string, unknown> | undefined)?.token);
    const result = await authenticator.authenticate(token);
    if (typeof result === 'string') {
      throw new ApiProblem(401, 'unauthenticated', 'Unauthenticated', FAILURE_DETAIL[result], {}, { 'www-authenticate': 'Bearer' });
    }
    request.apiClient = result;
  });
}

export function clientOf(request: FastifyRequest): AuthenticatedClient {
  if (request.apiClient === null) throw new ApiProblem(401, 'unauthenticated', 'Unauthenticated', FAILURE_DETAIL.missing);
  return request.apiClient;
}
