// A professional falls ill (src/usecases/admin/unavailability.ts): over the
// period, every open slot blocked and every live booking cancelled with its
// slot blocked, in one transaction.
import type { Kysely } from 'kysely';
import type { Actor } from '../../usecases/actor.js';
import type { Unavailability, UnavailabilityOutcome } from '../../usecases/admin/directory-store.js';
import type { Database } from '../schema.js';
import { writeAudit } from './audit.js';
import { selectBookings, toStoredBooking } from './booking-rows.js';
import { cancelInTransaction } from './bookings.js';

export function markUnavailable(db: Kysely<Database>, actor: Actor, professionalId: string, { from, until, reason }: Unavailability): Promise<UnavailabilityOutcome> {
  return db.transaction().execute(async (trx) => {
    const rows = await selectBookings(trx).where('bookings.professional_id', '=', professionalId)
      .where('bookings.status', '=', 'booked').where('bookings.starts_at', '>=', from).where('bookings.starts_at', '<', until)
      .orderBy('bookings.client_id').forUpdate('bookings').execute();
    // Slots before the first outbox event, requesters by id: the stream lock order of sql/007.
    const blocked = await trx.updateTable('slots').set({ status: 'blocked', held_until: null })
      .where('professional_id', '=', professionalId).where('starts_at', '>=', from).where('starts_at', '<', until)
      .where('status', 'in', ['free', 'held']).returning(['id', 'change_seq']).execute();
    const cancelled: string[] = [];
    for (const row of rows) {
      if (await cancelInTransaction(trx, actor, toStoredBooking(row), reason, 'blocked')) cancelled.push(row.id);
    }
    await writeAudit(trx, actor, [{ action: 'professional.unavailable', entity: 'professional', entityId: professionalId, details: { from, until, reason, cancelled: cancelled.length, blocked: blocked.length } }]);
    return { blockedSlots: blocked.length + cancelled.length, cancelledBookings: cancelled, blocked: blocked.map((b) => ({ id: b.id, changeSeq: b.change_seq })) };
  });
}
