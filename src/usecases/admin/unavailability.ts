// Coordinator: a professional falls ill. Over the period, every open slot is
// blocked and every live booking cancelled with its slot blocked; the
// professional and each requester get a booking.cancelled outbox event. One
// transaction (ctx.directory, src/db/stores/unavailability.ts).
import { z } from 'zod';
import type { Actor } from '../actor.js';
import type { UseCaseContext } from '../context.js';
import { validationProblem } from '../problem.js';
import { professionalInScope, requireCoordinator } from './scope.js';
import { plainText } from '../../core/text.js';

export const unavailableSchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'Defaults to now' }),
  until: z.iso.datetime({ offset: true }),
  reason: plainText().trim().min(1).max(200).default('professional unavailable'),
}).meta({ example: { until: '2026-03-12T00:00:00+01:00', reason: 'sick leave' } });
export type UnavailableInput = z.infer<typeof unavailableSchema>;

export const unavailableResponseSchema = z.object({
  blockedSlots: z.number().int(),
  cancelledBookings: z.array(z.uuid()),
});
export type UnavailableResponse = z.infer<typeof unavailableResponseSchema>;

export async function markUnavailable(ctx: UseCaseContext, actor: Actor, professionalId: string, input: UnavailableInput): Promise<UnavailableResponse> {
  requireCoordinator(actor.client);
  await professionalInScope(ctx, actor.client, professionalId, 'id');
  const from = new Date(Math.max(ctx.now(), input.from === undefined ? 0 : Date.parse(input.from)));
  const until = new Date(input.until);
  if (!(until > from)) throw validationProblem([{ field: 'until', message: 'must be after from (and after now)' }]);

  const { blocked, ...response } = await ctx.directory.markUnavailable(actor, professionalId, { from, until, reason: input.reason });
  // Read-your-writes: the next match here offers none of them.
  for (const slot of blocked) ctx.sync.reflectTaken(slot.id, slot.changeSeq);
  return response;
}
