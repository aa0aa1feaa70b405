// Overload protection: while the event loop lags or the heap is too full, the
// service answers 503 with Retry-After at once (problem+json, or an
// OperationOutcome under /fhir) instead of queueing requests until they time
// out. Liveness stays 200 (the process is fine, only busy); readiness reports
// the overload so a load balancer sends traffic elsewhere meanwhile.
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import type { Readiness } from '../../readiness.js';
import { ApiProblem } from '../../usecases/problem.js';

export interface PressureOptions {
  /** Mean event-loop delay over a sample, in ms (0: not checked). */
  maxEventLoopDelayMs: number;
  /** Heap in use, in bytes (0: not checked). */
  maxHeapUsedBytes: number;
  readiness: Readiness;
}

const RETRY_AFTER_SECONDS = 2;
const EXEMPT = new Set(['/healthz', '/readyz']);

export async function registerUnderPressure(app: FastifyInstance, options: PressureOptions): Promise<void> {
  if (options.maxEventLoopDelayMs === 0 && options.maxHeapUsedBytes === 0) return;
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    maxHeapUsedBytes: options.maxHeapUsedBytes,
    sampleInterval: 500,
    pressureHandler: (request, _reply, type, value) => {
      if (EXEMPT.has(request.routeOptions.url ?? '')) return;
      const measured = type === 'heapUsedBytes' ? `${Math.round((value ?? 0) / 1_048_576)} MB of heap in use` : `event loop delayed ${Math.round(value ?? 0)} ms`;
      return Promise.reject(new ApiProblem(503, 'overloaded', 'Service overloaded',
        `the instance is overloaded (${measured}); retry in ${RETRY_AFTER_SECONDS} s`, {}, { 'retry-after': String(RETRY_AFTER_SECONDS) }));
    },
  });
  options.readiness.register('load', () => (app.isUnderPressure()
    ? { ready: false, detail: 'overloaded; shedding load' }
    : { ready: true, detail: 'within limits' }));
}
