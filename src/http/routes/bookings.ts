// Bookings: create (idempotent), read, list, cancel, no-show, honoured (SPEC §6).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../usecases/actor.js';
import { bookingDetailResponseSchema, bookingListSchema, getBooking, listBookings, listBookingsQuerySchema } from '../../usecases/booking-queries.js';
import { cancelBooking, cancelBookingSchema, recordOutcome } from '../../usecases/booking-transitions.js';
import { bookingResponseSchema } from '../../usecases/booking-view.js';
import { createBooking, createBookingSchema } from '../../usecases/bookings.js';
import type { UseCaseContext } from '../../usecases/context.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { idParamsSchema, problemResponses, slotConflictSchema } from '../schemas/problems.js';
import { plainText } from '../../core/text.js';

const actor = (request: FastifyRequest) => actorOf(clientOf(request), request.id);

// Loose: the other headers must survive validation untouched.
const idempotencyHeaders = z.looseObject({
  'idempotency-key': plainText().optional().meta({
    description: 'Required. A unique value per booking attempt (e.g. a UUID), 1–200 visible ASCII characters. Retrying with the same key and body returns the first answer; the same key with another body is a 422. Kept 24 hours.',
    example: '8d0c5d1e-6a3f-4f7b-9b1a-2c3d4e5f6a7b',
  }),
});

export const bookingRoutes: FastifyPluginAsync<{ ctx: UseCaseContext }> = async (app, { ctx }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/v1/bookings', {
    schema: {
      tags: ['booking'],
      summary: 'Book a free slot, or the slot of your hold',
      description: 'Roles: regulator, pharmacist, coordinator. Atomic: the slot is taken, the booking, the professional\'s outbox event and the audit record are written in one transaction. `Idempotency-Key` is required. A slot already held, booked or blocked is a 409 with `alternatives`.',
      headers: idempotencyHeaders,
      body: createBookingSchema,
      response: { 201: bookingResponseSchema, 409: slotConflictSchema, ...problemResponses(400, 401, 403, 404, 422, 429) },
    },
  }, async (request, reply) => {
    const answer = await createBooking(ctx, actor(request), request.body, request.headers['idempotency-key']);
    if (answer.replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(answer.status as 201).send(answer.body);
  });

  api.get('/v1/bookings', {
    schema: {
      tags: ['booking'],
      summary: 'List the bookings you may see, earliest first',
      description: 'A requester sees the bookings it made, a professional those made with it, a coordinator those of its territories.',
      querystring: listBookingsQuerySchema,
      response: { 200: bookingListSchema, ...problemResponses(400, 401, 403, 429) },
    },
  }, async (request) => listBookings(ctx, actor(request), request.query));

  api.get('/v1/bookings/:id', {
    schema: {
      tags: ['booking'],
      summary: 'One booking, with the patient\'s call-back details until purged',
      description: 'A booking the client may not see is a 404.',
      params: idParamsSchema,
      response: { 200: bookingDetailResponseSchema, ...problemResponses(400, 401, 404, 429) },
    },
  }, async (request) => getBooking(ctx, actor(request), request.params.id));

  api.post('/v1/bookings/:id/cancel', {
    schema: {
      tags: ['booking'],
      summary: 'Cancel a booking; its slot is free and matchable again at once',
      description: 'By the requester that made it, its professional, or a coordinator of the territory. The professional (and the requester, when someone else cancels) receive a booking.cancelled event. Cancelling twice is harmless.',
      params: idParamsSchema,
      body: cancelBookingSchema,
      response: { 200: bookingDetailResponseSchema, ...problemResponses(400, 401, 404, 409, 429) },
    },
  }, async (request) => cancelBooking(ctx, actor(request), request.params.id, request.body));

  for (const outcome of ['no-show', 'honoured'] as const) {
    api.post(`/v1/bookings/:id/${outcome}`, {
      schema: {
        tags: ['booking'],
        summary: outcome === 'no-show' ? 'Record that the patient did not come' : 'Record that the appointment took place',
        description: 'Roles: professional (its own bookings), coordinator. Only from status booked, once the slot has started.',
        params: idParamsSchema,
        response: { 200: bookingDetailResponseSchema, ...problemResponses(400, 401, 403, 404, 409, 429) },
      },
    }, async (request) => recordOutcome(ctx, actor(request), request.params.id, outcome));
  }
};
