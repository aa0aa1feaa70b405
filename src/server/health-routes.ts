// Liveness (the process answers) and readiness (it can serve correct answers).
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Readiness } from '../readiness.js';

const checkSchema = z.object({ ready: z.boolean(), detail: z.string().optional() });
const readinessSchema = z.object({ ready: z.boolean(), checks: z.record(z.string(), checkSchema) });

export const healthRoutes: FastifyPluginAsync<{ readiness: Readiness }> = async (app, { readiness }) => {
  app.get('/healthz', {
    schema: { tags: ['operations'], summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } },
    config: { rateLimit: false },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    schema: {
      tags: ['operations'],
      summary: 'Readiness: 200 once the slot index is synced and the database answers, else 503',
      response: { 200: readinessSchema, 503: readinessSchema },
    },
    config: { rateLimit: false },
  }, async (_request, reply) => {
    const report = readiness.report();
    return reply.code(report.ready ? 200 : 503).send(report);
  });
};
