// Per-client rate limiting (key: the API client, else the IP), answered as a
// 429 problem with Retry-After (each scope's error handler words it).
// Registered inside an authenticated scope, after requireAuthentication, so the
// client is known when the limit is counted; beside authentication because
// every transport's secured scope takes both. In-memory per instance: N
// instances allow N times the limit, which is fine for abuse protection.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { ApiProblem } from '../usecases/problem.js';

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
