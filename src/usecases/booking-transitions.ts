// A booking's life after creation: cancelled (by its requester, its
// professional or a coordinator; the slot is free again at once), or, once the
// slot has started, marked no-show or honoured (professional or coordinator).
// Each change is a conditional UPDATE from 'booked', audited in its transaction
// (ctx.bookings, src/db/stores/bookings.ts).
import { z } from 'zod';
import { requireRole } from './scopes.js';
import type { BookingStatus } from '../core/domain.js';
import type { Actor } from './actor.js';
import { findVisibleBooking, type StoredBooking } from './booking-records.js';
import type { BookingDetailResponse } from './booking-queries.js';
import { bookingDetail } from './booking-view.js';
import type { UseCaseContext } from './context.js';
import { ApiProblem } from './problem.js';
import { plainText } from '../core/text.js';

export const cancelBookingSchema = z.strictObject({
  reason: plainText().trim().min(1).max(200).optional().meta({ description: 'Why, in a few words (no patient data)' }),
}).nullish().meta({ example: { reason: 'patient found another appointment' } });
export type CancelBookingInput = z.infer<typeof cancelBookingSchema>;

export const OUTCOME_ROLES = ['professional', 'coordinator'] as const;

function invalidTransition(booking: StoredBooking, to: BookingStatus): ApiProblem {
  return new ApiProblem(409, 'invalid-transition', 'Invalid transition', `booking ${booking.id} is ${booking.status}; it cannot become ${to}`, { current: booking.status });
}

export async function cancelBooking(ctx: UseCaseContext, actor: Actor, id: string, input: CancelBookingInput): Promise<BookingDetailResponse> {
  // Whoever may see the booking may cancel it: its requester, its professional, a coordinator.
  const booking = await findVisibleBooking(ctx, actor.client, id);
  if (booking.status !== 'booked' && booking.status !== 'cancelled') throw invalidTransition(booking, 'cancelled');
  if (booking.status === 'booked') {
    const done = await ctx.bookings.cancel(actor, booking, input?.reason ?? null);
    if (done) {
      // Read-your-writes on this instance: the slot is matchable here before we answer.
      await ctx.sync.catchUp().catch(() => {});
    }
  }
  const after = await findVisibleBooking(ctx, actor.client, id);
  if (after.status !== 'cancelled') throw invalidTransition(after, 'cancelled');
  return { booking: bookingDetail(after, true) };
}

/** no-show or honoured: only once the slot has started, and only from 'booked'. Repeating it is harmless. */
export async function recordOutcome(ctx: UseCaseContext, actor: Actor, id: string, outcome: 'no-show' | 'honoured'): Promise<BookingDetailResponse> {
  requireRole(actor.client, OUTCOME_ROLES);
  const booking = await findVisibleBooking(ctx, actor.client, id);
  if (booking.status !== outcome) {
    if (booking.status !== 'booked') throw invalidTransition(booking, outcome);
    if (new Date(booking.start).getTime() > ctx.now()) {
      throw new ApiProblem(409, 'too-early', 'Too early', `booking ${id} has not started yet; ${outcome} can be recorded from its start`);
    }
    const changed = await ctx.bookings.recordOutcome(actor, booking, outcome);
    if (!changed) {
      const now = await findVisibleBooking(ctx, actor.client, id);
      if (now.status !== outcome) throw invalidTransition(now, outcome);
    }
  }
  return { booking: bookingDetail(await findVisibleBooking(ctx, actor.client, id), true) };
}
