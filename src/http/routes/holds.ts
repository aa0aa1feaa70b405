// POST /v1/holds, DELETE /v1/holds/:id (and POST …/release for clients without DELETE).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../usecases/actor.js';
import type { UseCaseContext } from '../../usecases/context.js';
import { createHoldSchema, holdResponseSchema, placeHold, releaseHold } from '../../usecases/holds.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { idParamsSchema, problemResponses, slotConflictSchema } from '../schemas/problems.js';

const actor = (request: FastifyRequest) => actorOf(clientOf(request), request.id);

export const holdRoutes: FastifyPluginAsync<{ ctx: UseCaseContext }> = async (app, { ctx }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post('/v1/holds', {
    schema: {
      tags: ['booking'],
      summary: 'Hold a free slot for the territory\'s hold time (default 3 minutes)',
      description: 'Roles: regulator, pharmacist, coordinator. The hold ends by itself at `expiresAt`; book from it with `POST /v1/bookings {holdId}`. A slot already held, booked or blocked is a 409 with `alternatives`.',
      body: createHoldSchema,
      response: { 201: holdResponseSchema, 409: slotConflictSchema, ...problemResponses(400, 401, 403, 404, 429) },
    },
  }, async (request, reply) => reply.code(201).send(await placeHold(ctx, actor(request), request.body)));

  const release = {
    schema: {
      tags: ['booking'],
      summary: 'Release your hold; the slot is free again at once',
      description: 'Only the client that placed the hold may release it (others get 404). Releasing twice is harmless; a hold already turned into a booking is a 409.',
      params: idParamsSchema,
      response: { 204: z.null().meta({ description: 'Released' }), ...problemResponses(400, 401, 403, 404, 409, 429) },
    },
  };
  api.delete('/v1/holds/:id', release, async (request, reply) => {
    await releaseHold(ctx, actor(request), request.params.id);
    return reply.code(204).send(null);
  });
  api.post('/v1/holds/:id/release', release, async (request, reply) => {
    await releaseHold(ctx, actor(request), request.params.id);
    return reply.code(204).send(null);
  });
};
