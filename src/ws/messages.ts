// What clients send, validated by zod like every HTTP body. Each message may
// carry an `id` (string or number); the answer echoes it.
import { z } from 'zod';
import { ApiProblem, fieldUnder } from '../usecases/problem.js';
import { parseInput } from '../usecases/validate.js';
import { plainText } from '../core/text.js';

export const messageIdSchema = z.union([plainText().min(1).max(100), z.number().int()]);

export const ackMessageSchema = z.strictObject({
  type: z.literal('ack'),
  id: messageIdSchema.optional(),
  eventId: z.number().int().positive(),
});

export const resumeMessageSchema = z.strictObject({
  type: z.literal('resume'),
  id: messageIdSchema.optional(),
  after: z.number().int().min(0),
});

/** `?after=` on the upgrade request (and the token, read by authentication). */
export const streamQuerySchema = z.looseObject({
  after: z.coerce.number().int().min(0).optional().meta({ description: 'Replay the unacknowledged events after this eventId (default: all unacknowledged)' }),
});

export function unknownType(type: unknown, known: readonly string[]): ApiProblem {
  return new ApiProblem(400, 'unknown-message-type', 'Unknown message type',
    `${typeof type === 'string' ? `"${type.slice(0, 40)}"` : 'a message without a string type'} is not one of ${known.join(', ')}`,
    { errors: [{ field: 'message.type', message: `must be one of ${known.join(', ')}` }] });
}

/** A stream message's fields are named by their path in the message (`message.eventId`). */
export const messageFieldNames = (field: string): string => fieldUnder('message', field);

/** A message checked against its schema. */
export function parseMessage<S extends z.ZodType>(schema: S, message: unknown): z.output<S> {
  try {
    return parseInput(schema, message);
  } catch (error) {
    throw error instanceof ApiProblem ? error.withFieldNames(messageFieldNames) : error;
  }
}
