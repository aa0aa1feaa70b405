// Bookings (src/usecases/booking-store.ts BookingStore): read back scoped to
// the client, and their life after creation. Each change is a conditional
// UPDATE from 'booked', with its audit row (and outbox events) in its transaction.
import type { Transaction } from 'kysely';
import type { Actor } from '../../usecases/actor.js';
import type { BookingStore, StoredBooking } from '../../usecases/booking-store.js';
import { bookingEventPayload, bookingView } from '../../usecases/booking-view.js';
import type { DatabaseHandle } from '../database.js';
import type { Database } from '../schema.js';
import { writeAudit } from './audit.js';
import { selectBookings, toStoredBooking, visibleTo } from './booking-rows.js';

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

export function pgBookings(database: DatabaseHandle): BookingStore {
  return {
    async findVisible(client, id) {
      const row = await visibleTo(selectBookings(database.db).where('bookings.id', '=', id), client).executeTakeFirst();
      return row === undefined ? undefined : toStoredBooking(row);
    },
    async listVisible(client, filter) {
      let q = visibleTo(selectBookings(database.db), client);
      if (filter.territory !== undefined) q = q.where('bookings.territory_id', '=', filter.territory);
      if (filter.status !== undefined) q = q.where('bookings.status', '=', filter.status);
      if (filter.from !== undefined) q = q.where('bookings.starts_at', '>=', filter.from);
      if (filter.until !== undefined) q = q.where('bookings.starts_at', '<', filter.until);
      const rows = await q.orderBy('bookings.starts_at').orderBy('bookings.id').limit(filter.limit).execute();
      return rows.map(toStoredBooking);
    },
    cancel(actor, booking, reason) {
      return database.db.transaction().execute((trx) => cancelInTransaction(trx, actor, booking, reason, 'free'));
    },
    recordOutcome(actor, booking, outcome) {
      const id = booking.id;
      return database.db.transaction().execute(async (trx) => {
        const row = await trx.updateTable('bookings').set({ status: outcome, updated_at: new Date() })
          .where('id', '=', id).where('status', '=', 'booked').returning('id').executeTakeFirst();
        if (row !== undefined) await writeAudit(trx, actor, [{ action: `booking.${outcome}`, entity: 'booking', entityId: id, details: { slotId: booking.slotId } }]);
        return row !== undefined;
      });
    },
  };
}
