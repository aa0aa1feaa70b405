// Coordinator: a professional falls ill. Over the period, every open slot is
// blocked and every live booking cancelled with its slot blocked; the
// professional and each requester get a booking.cancelled outbox event.
import { z } from 'zod';
import type { Actor } from '../actor.js';
import { selectBookings, toStoredBooking } from '../booking-records.js';
import { cancelInTransaction } from '../booking-transitions.js';
import { writeAudit } from '../audit.js';
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

  const result = await ctx.database.db.transaction().execute(async (trx) => {
    const rows = await selectBookings(trx).where('bookings.professional_id', '=', professionalId)
      .where('bookings.status', '=', 'booked').where('bookings.starts_at', '>=', from).where('bookings.starts_at', '<', until)
      .orderBy('bookings.client_id').forUpdate('bookings').execute();
    // Slots before the first outbox event, requesters by id: the stream lock order of sql/007.
    const blocked = await trx.updateTable('slots').set({ status: 'blocked', held_until: null })
      .where('professional_id', '=', professionalId).where('starts_at', '>=', from).where('starts_at', '<', until)
      .where('status', 'in', ['free', 'held']).returning('id').execute();
    const cancelled: string[] = [];
    for (const row of rows) {
      if (await cancelInTransaction(trx, actor, toStoredBooking(row), input.reason, 'blocked')) cancelled.push(row.id);
    }
    await writeAudit(trx, actor, [{ action: 'professional.unavailable', entity: 'professional', entityId: professionalId, details: { from, until, reason: input.reason, cancelled: cancelled.length, blocked: blocked.length } }]);
    return { blockedSlots: blocked.length + cancelled.length, cancelledBookings: cancelled };
  });
  return result;
}
