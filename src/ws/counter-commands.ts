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
import { ApiProblem, fieldUnder } from '../usecases/problem.js';
import { parseInput } from '../usecases/validate.js';
import { messageIdSchema } from './messages.js';
import { plainText } from '../core/text.js';

export interface CommandOutcome {
  result: unknown;
  /** book: this answer is the stored one of an earlier request with the same key (HTTP: Idempotent-Replayed). */
  replayed?: boolean;
}

type Command = (ctx: UseCaseContext, actor: Actor, body: unknown, idempotencyKey: string | undefined) => Promise<CommandOutcome>;

// HTTP cancels POST /v1/bookings/:id/cancel with an optional {reason}: here the id joins the reason.
const cancelMessageBodySchema = cancelBookingSchema.unwrap().unwrap().extend({ bookingId: z.uuid() });

/**
 * How the counter names a use case's input fields: by their path in the
 * message, under its `body`. The key is the message's own `idempotencyKey`,
 * but a key reused with another body is the very 422 HTTP answers, header
 * name included (test/ws-counter.test.ts: one problem for either channel).
 */
export function counterFieldNames(status: number, renamed: Record<string, string> = {}): (field: string) => string {
  return (field) => {
    if (field === 'idempotencyKey') return status === 422 ? 'headers.idempotency-key' : 'idempotencyKey';
    return renamed[field] ?? fieldUnder('body', field);
  };
}

/** Runs a command's use case, naming its problems' fields the counter's way. */
async function inMessage<T>(run: () => T | Promise<T>, renamed: Record<string, string> = {}): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof ApiProblem ? error.withFieldNames(counterFieldNames(error.status, renamed)) : error;
  }
}

export const COUNTER_COMMANDS: Record<string, Command> = {
  triage: (ctx, actor, body) => inMessage(() => ({ result: triageRequest(ctx, actor.client, parseInput(triageRequestSchema, body)) })),
  request: (ctx, actor, body) => inMessage(async () => ({ result: await createRequest(ctx, actor.client, parseInput(createRequestSchema, body)) })),
  match: (ctx, actor, body) => inMessage(() => ({ result: match(ctx, actor.client, parseInput(matchRequestSchema, body)) })),
  hold: (ctx, actor, body) => inMessage(async () => ({ result: await placeHold(ctx, actor, parseInput(createHoldSchema, body)) })),
  book: (ctx, actor, body, idempotencyKey) => inMessage(async () => {
    const answer = await createBooking(ctx, actor, parseInput(createBookingSchema, body), idempotencyKey);
    return { result: answer.body, ...(answer.replayed ? { replayed: true } : {}) };
  }),
  // The booking a cancel names is the body's bookingId (HTTP: the path's :id).
  cancel: (ctx, actor, body) => inMessage(async () => {
    const { bookingId, reason } = parseInput(cancelMessageBodySchema, body ?? {});
    return { result: await cancelBooking(ctx, actor, bookingId, reason === undefined ? undefined : { reason }) };
  }, { id: 'body.bookingId' }),
};

export const counterRequestSchema = z.strictObject({
  id: messageIdSchema,
  type: plainText(),
  body: z.unknown().optional(),
  idempotencyKey: plainText().optional().meta({ description: 'book only: as the Idempotency-Key header of POST /v1/bookings' }),
});
