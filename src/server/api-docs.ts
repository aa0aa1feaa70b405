// The OpenAPI document of every HTTP route, served with its UI under /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { documentRoute } from './openapi-routes.js';

export async function registerApiDocs(app: FastifyInstance): Promise<void> {
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
      // Security is set per operation (openapi-routes.ts): /healthz, /readyz and /fhir/metadata are public.
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: documentRoute,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
