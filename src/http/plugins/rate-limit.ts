// Per-client rate limiting (key: the API client, else the IP), answered as
// problem+json 429 with Retry-After. Registered inside the authenticated scope
// so the client is known when the limit is counted. In-memory per instance:
// N instances allow N times the limit, which is fine for abuse protection.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { ApiProblem } from '../../usecases/problem.js';

export async function registerRateLimit(scope: FastifyInstance, perMinute: number): Promise<void> {
  await scope.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => request.apiClient?.id ?? request.ip,
    errorResponseBuilder: (_request, context) => new ApiProblem(429, 'rate-limited', 'Too many requests',
      `more than ${context.max} requests per minute from this client; retry in ${context.after}`, {},
      { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) }),
  });
}
