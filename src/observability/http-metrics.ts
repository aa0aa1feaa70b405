// Latency of every HTTP answer by route pattern, method and status class,
// plus the booking/hold/conflict counters the answer implies. One hook on the
// root instance; unmatched URLs share one label value so that a scan of random
// paths cannot blow up the series count.
import type { FastifyInstance } from 'fastify';
import { httpRequestDuration } from './metrics.js';
import { countRouteOutcome } from './route-outcomes.js';

export function installHttpMetrics(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    httpRequestDuration.observe({ route, method: request.method, status_class: `${Math.floor(status / 100)}xx` }, reply.elapsedTime / 1000);
    countRouteOutcome(request.method, route, status, reply.getHeader('idempotent-replayed') === 'true');
    done();
  });
}
