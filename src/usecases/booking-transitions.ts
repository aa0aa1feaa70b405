// A booking's life after creation: cancelled (by its requester, its
// professional or a coordinator; the slot is free again at once), or, once the
// slot has started, marked no-show or honoured (professional or coordinator).
// Each change is a conditional UPDATE from 'booked', audited in its transaction.
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { requireRole } from './scopes.js';
import type { BookingStatus } from '../core/domain.js';
import type { Database } from '../db/schema.js';
import type { Actor } from './actor.js';
import { writeAudit } from './audit.js';
import { findVisibleBooking, type StoredBooking } from './booking-records.js';
import type { BookingDetailResponse } from './booking-queries.js';
import { bookingDetail, bookingEventPayload, bookingView } from './booking-view.js';
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

/**
 * Inside a transaction: cancels a live booking, puts its slot back (free, or
 * blocked when the professional is unavailable), tells the professional and,
 * when someone else cancelled, the requester. False when it was no longer live.
 */
export async function cancelInTransaction(trx: Transaction<Database>, actor: Actor, booking: StoredBooking, reason: string | null, slotBecomes: 'free' | 'blocked'): Promise<boolean> {
  const updated = await trx.updateTable('bookings')
    .set({ status: 'cancelled', cancelled_at: new Date(), cancelled_by: actor.client.id, cancel_reason: reason, updated_at: new Date() })
    .where('id', '=', booking.id).where('status', '=', 'booked')
    .returning('id').executeTakeFirst();
  if (updated === undefined) return false;
  await trx.updateTable('slots').set({ status: slotBecomes, held_until: null })
    .where('id', '=', booking.slotId).where('status', '=', 'booked').execute();
  const payload = JSON.stringify({ ...bookingEventPayload(bookingView({ ...booking, status: 'cancelled' }), { modality: booking.modality }, actor.traceId), reason, cancelledBy: actor.client.role });
  const recipients: { recipient_kind: 'professional' | 'client'; recipient_id: string }[] = [{ recipient_kind: 'professional', recipient_id: booking.professionalId }];
  if (booking.clientId !== actor.client.id) recipients.push({ recipient_kind: 'client', recipient_id: booking.clientId });
  await trx.insertInto('events').values(recipients.map((r) => ({ ...r, type: 'booking.cancelled', booking_id: booking.id, payload, acked_at: null }))).execute();
  await writeAudit(trx, actor, [{ action: 'booking.cancel', entity: 'booking', entityId: booking.id, details: { slotId: booking.slotId, reason, slotBecomes } }]);
  return true;
}

export async function cancelBooking(ctx: UseCaseContext, actor: Actor, id: string, input: CancelBookingInput): Promise<BookingDetailResponse> {
  // Whoever may see the booking may cancel it: its requester, its professional, a coordinator.
  const booking = await findVisibleBooking(ctx, actor.client, id);
  if (booking.status !== 'booked' && booking.status !== 'cancelled') throw invalidTransition(booking, 'cancelled');
  if (booking.status === 'booked') {
    const done = await ctx.database.db.transaction().execute((trx) => cancelInTransaction(trx, actor, booking, input?.reason ?? null, 'free'));
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
    const changed = await ctx.database.db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('bookings').set({ status: outcome, updated_at: new Date() })
        .where('id', '=', id).where('status', '=', 'booked').returning('id').executeTakeFirst();
      if (row !== undefined) await writeAudit(trx, actor, [{ action: `booking.${outcome}`, entity: 'booking', entityId: id, details: { slotId: booking.slotId } }]);
      return row !== undefined;
    });
    if (!changed) {
      const now = await findVisibleBooking(ctx, actor.client, id);
      if (now.status !== outcome) throw invalidTransition(now, outcome);
    }
  }
  return { booking: bookingDetail(await findVisibleBooking(ctx, actor.client, id), true) };
}
