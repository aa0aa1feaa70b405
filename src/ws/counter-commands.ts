// The counter socket's requests: each is the HTTP route's use case called with
// the HTTP route's zod schema, so validation, authorization, idempotency and
// errors are the same code. `body` is what HTTP carries as the request body;
// `book` takes its Idempotency-Key as the message's top-level `idempotencyKey`
// (outside the body, as the header is outside the HTTP body: the same key and
// body replay the same booking over HTTP or WebSocket alike).
import { z } from 'zod';
import type { Actor } from '../usecases/actor.js';
import { cancelBooking, cancelBookingSchema } from '../usecases/booking-transitions.js';
import { createBooking, createBookingSchema } from '../usecases/bookings.js';
import type { UseCaseContext } from '../usecases/context.js';
import { createHoldSchema, placeHold } from '../usecases/holds.js';
import { match, matchRequestSchema } from '../usecases/match.js';
import { createRequest, createRequestSchema } from '../usecases/requests.js';
import { triageRequest, triageRequestSchema } from '../usecases/triage.js';
import { parseInput } from '../usecases/validate.js';
import { messageIdSchema } from './messages.js';

export interface CommandOutcome {
  result: unknown;
  /** book: this answer is the stored one of an earlier request with the same key (HTTP: Idempotent-Replayed). */
  replayed?: boolean;
}

type Command = (ctx: UseCaseContext, actor: Actor, body: unknown, idempotencyKey: string | undefined) => Promise<CommandOutcome>;

// HTTP cancels POST /v1/bookings/:id/cancel with an optional {reason}: here the id joins the reason.
const cancelMessageBodySchema = cancelBookingSchema.unwrap().unwrap().extend({ bookingId: z.uuid() });

export const COUNTER_COMMANDS: Record<string, Command> = {
  triage: async (ctx, actor, body) => ({ result: triageRequest(ctx, actor.client, parseInput(triageRequestSchema, body, 'body')) }),
  request: async (ctx, actor, body) => ({ result: await createRequest(ctx, actor.client, parseInput(createRequestSchema, body, 'body')) }),
  match: async (ctx, actor, body) => ({ result: match(ctx, actor.client, parseInput(matchRequestSchema, body, 'body')) }),
  hold: async (ctx, actor, body) => ({ result: await placeHold(ctx, actor, parseInput(createHoldSchema, body, 'body')) }),
  book: async (ctx, actor, body, idempotencyKey) => {
    const answer = await createBooking(ctx, actor, parseInput(createBookingSchema, body, 'body'), idempotencyKey, 'idempotencyKey');
    return { result: answer.body, ...(answer.replayed ? { replayed: true } : {}) };
  },
  cancel: async (ctx, actor, body) => {
    const { bookingId, reason } = parseInput(cancelMessageBodySchema, body ?? {}, 'body');
    return { result: await cancelBooking(ctx, actor, bookingId, reason === undefined ? undefined : { reason }) };
  },
};

export const counterRequestSchema = z.strictObject({
  id: messageIdSchema,
  type: z.string(),
  body: z.unknown().optional(),
  idempotencyKey: z.string().optional().meta({ description: 'book only: as the Idempotency-Key header of POST /v1/bookings' }),
});
