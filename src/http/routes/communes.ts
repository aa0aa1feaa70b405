// GET /v1/territories/:id/communes: the communes a counter may pick the patient's from.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { communeListSchema, listCommunes } from '../../usecases/communes.js';
import type { UseCaseContext } from '../../usecases/context.js';
import { territoryParamsSchema } from '../../usecases/rule-set-views.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { problemResponses } from '../schemas/problems.js';

export const communeRoutes: FastifyPluginAsync<{ ctx: UseCaseContext }> = async (app, { ctx }) => {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/territories/:id/communes', {
    schema: {
      tags: ['matching'],
      summary: 'The communes a territory serves, with their postal codes',
      description: 'Roles: regulator, pharmacist, coordinator of the territory. Sorted by name; the counter page searches them by name or postal code and sends the INSEE code to /v1/match, /v1/triage and /v1/requests.',
      params: territoryParamsSchema,
      response: { 200: communeListSchema, ...problemResponses(400, 401, 403, 404, 429) },
    },
  }, async (request) => listCommunes(ctx, clientOf(request), request.params.id));
};
