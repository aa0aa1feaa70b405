// Per-client rate limiting, answered as a 429 problem with Retry-After (each
// scope's error handler words it). Registered inside an authenticated scope,
// after requireAuthentication, so the client is known when it is counted. Every
// scope of the instance charges the same ClientBudget (decorated on the root by
// the composition root), which the WebSocket messages charge too: one budget
// per client across HTTP, FHIR and sockets.
import type { FastifyInstance } from 'fastify';
import { ApiProblem } from '../usecases/problem.js';
import { ClientBudget } from './client-budget.js';

declare module 'fastify' {
  interface FastifyInstance {
    clientBudget?: ClientBudget;
  }
}

export function rateLimited(budget: ClientBudget, retryAfterSeconds: number, what = 'requests'): ApiProblem {
  return new ApiProblem(429, 'rate-limited', 'Too many requests',
    `more than ${budget.perMinute} ${what} per minute from this client (HTTP, FHIR and WebSocket together); retry in ${retryAfterSeconds} s`, {},
    { 'retry-after': String(retryAfterSeconds) });
}

export async function registerRateLimit(scope: FastifyInstance, perMinute: number): Promise<void> {
  const budget = scope.clientBudget ?? new ClientBudget(perMinute);
  scope.addHook('onRequest', (request, _reply, done) => {
    const wait = request.apiClient === null ? undefined : budget.take(request.apiClient.id);
    done(wait === undefined ? undefined : rateLimited(budget, wait));
  });
}
