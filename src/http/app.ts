// The HTTP application as one Fastify plugin: the entry file only builds and listens.
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Authenticator } from '../auth/authenticator.js';
import type { Readiness } from '../readiness.js';
import type { UseCaseContext } from '../usecases/context.js';
import { installErrorHandling } from './error-handler.js';
import { requireAuthentication } from './plugins/authenticate.js';
import { healthRoutes } from './routes/health.js';
import { matchRoutes } from './routes/match.js';
import { indicatorRoutes } from './routes/indicators.js';
import { installHttpMetrics } from '../observability/http-metrics.js';
import { bookingApiRoutes } from './routes/booking-api.js';
import { triageApiRoutes } from './routes/triage-api.js';
import { registerRateLimit } from './plugins/rate-limit.js';
import { fhirPlugin, type FhirHttpContext } from '../sas/transport/index.js';
import websocket from '@fastify/websocket';
import { channelRoutes, websocketOptions } from '../ws/plugin.js';
import type { WsHub } from '../ws/hub.js';

export interface AppContext {
  readiness: Readiness;
  authenticator: Authenticator;
  useCases: UseCaseContext;
  /** Requests per minute per API client (default 3000). */
  rateLimitPerMinute?: number;
  /** Days ahead a new on-call band is materialised (default 14). */
  materialiseDays?: number;
  /** The /fhir surface (SAS IG); absent: not served. */
  fhir?: FhirHttpContext;
  /** The WebSocket channels under /v1/ws (issue 6); absent: not served. */
  ws?: WsHub;
}

export async function registerApp(app: FastifyInstance, context: AppContext): Promise<void> {
  installErrorHandling(app);
  // Latency per route and the booking/hold counters, for every route including /fhir and 404s.
  installHttpMetrics(app);
  // The API serves JSON only; the strict defaults of helmet fit, except the docs UI needs its inline assets.
  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SNP slot matching and triage',
        version: '1',
        description: 'Triage, matching, holds and bookings of unscheduled-care slots for a CPTS, for the SAS and the pharmacists of the territory. Errors are application/problem+json (RFC 9457). '
          + 'WebSocket channels (OpenAPI has no operation for them; the README\'s WebSocket section is their contract): GET /v1/ws/professional (a professional\'s booking events, acked and replayed with ?after=), '
          + 'GET /v1/ws/coordinator (a territory\'s escalations), GET /v1/ws/counter (triage, match, request, hold, book, cancel as messages with ids, answered with the same bodies and problems as these routes, plus availability pushes).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(healthRoutes, { readiness: context.readiness });
  // Before the /v1 scope: its hooks must see the upgrade before authentication refuses it.
  if (context.ws !== undefined) await app.register(websocket, websocketOptions(context.ws));
  await app.register(async (v1) => {
    requireAuthentication(v1, context.authenticator);
    // Before the routes: it hooks every route registered after it in this scope.
    await registerRateLimit(v1, context.rateLimitPerMinute ?? 3000);
    await v1.register(matchRoutes, { ctx: context.useCases });
    await v1.register(indicatorRoutes, { ctx: context.useCases });
    await v1.register(bookingApiRoutes, { ctx: context.useCases, materialiseDays: context.materialiseDays ?? 14 });
    await v1.register(triageApiRoutes, { ctx: context.useCases });
    // Same auth and rate limit as HTTP: they run on the upgrade request.
    if (context.ws !== undefined) await v1.register(channelRoutes, { hub: context.ws });
  });
  // Its own scope: bearer auth (but for /fhir/metadata) and OperationOutcome errors.
  if (context.fhir !== undefined) {
    await app.register(fhirPlugin, {
      prefix: '/fhir', fhir: context.fhir, authenticator: context.authenticator, rateLimitPerMinute: context.rateLimitPerMinute ?? 3000,
    });
  }
}
