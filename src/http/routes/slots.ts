// GET /v1/slots/:id: one slot with its professional and place, and whether it can
// still be booked (the Régulation page the SAS's booking link opens).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../usecases/actor.js';
import type { UseCaseContext } from '../../usecases/context.js';
import { slotDetail, slotDetailSchema } from '../../usecases/slot-details.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { idParamsSchema, problemResponses } from '../schemas/problems.js';

export const slotRoutes: FastifyPluginAsync<{ ctx: UseCaseContext }> = async (app, { ctx }) => {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/slots/:id', {
    schema: {
      tags: ['booking'],
      summary: 'One slot: when, with whom, where, and whether it can still be booked',
      description: 'Roles: regulator, pharmacist, coordinator; only the client\'s territories (elsewhere: 404, like a missing slot). '
        + 'Read from PostgreSQL: `available` is false once the slot is held, booked, blocked or started.',
      params: idParamsSchema,
      response: { 200: slotDetailSchema, ...problemResponses(400, 401, 403, 404, 429) },
    },
  }, async (request) => slotDetail(ctx, actorOf(clientOf(request), request.id), request.params.id));
};
