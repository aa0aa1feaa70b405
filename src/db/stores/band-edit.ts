// Editing an on-call band (src/usecases/admin/band-edit.ts): the band's new rule,
// its open slots from now on made to match it, and its new slots materialised, in
// one transaction. A booked slot is never touched, even when the edited band no
// longer covers it: it stays booked and its booking is returned, for the
// coordinator to keep or cancel in words with the patient.
import type { Kysely } from 'kysely';
import { materialiseBand } from '../../core/time/index.js';
import type { Actor } from '../../usecases/actor.js';
import type { BandChanges, BandEditOutcome } from '../../usecases/admin/directory-store.js';
import { materialiseSlots } from '../materialise-slots.js';
import type { Database } from '../schema.js';
import { writeAudit } from './audit.js';

/** Thrown inside the transaction to roll it back when a live hold sits on a slot the edited band drops. */
class HeldSlots extends Error {
  constructor(readonly slots: string[]) { super('held slots'); }
}

export function updateBand(db: Kysely<Database>, actor: Actor, id: string, rule: BandChanges, fields: string[], from: Date, until: Date): Promise<BandEditOutcome> {
  return db.transaction().execute(async (trx) => {
    // Locks the band: an edit and a cancellation (or two edits) run one after the other.
    const { time_zone: timeZone } = await trx.selectFrom('oncall_bands as b').innerJoin('professionals as p', 'p.id', 'b.professional_id')
      .innerJoin('territories as t', 't.id', 'p.territory_id').select('t.time_zone').where('b.id', '=', id).forUpdate('b').executeTakeFirstOrThrow();
    const band = await trx.updateTable('oncall_bands').set({
      site_id: rule.siteId, days_of_week: rule.daysOfWeek, local_start: rule.localStart, local_end: rule.localEnd,
      slot_minutes: rule.slotMinutes, modality: rule.modality, valid_from: rule.validFrom, valid_until: rule.validUntil,
    }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    // Locks the band's slots from now on: a booking racing us either committed before (seen booked here) or waits and finds the slot as we leave it.
    const slots = await trx.selectFrom('slots as s')
      .leftJoin('bookings as k', (j) => j.onRef('k.slot_id', '=', 's.id').on('k.status', '=', 'booked'))
      .select(['s.id', 's.starts_at', 's.ends_at', 's.site_id', 's.modality', 's.status', 's.held_until', 'k.id as booking_id'])
      .select((eb) => eb.or([
        eb.exists(eb.selectFrom('bookings as r').select('r.id').whereRef('r.slot_id', '=', 's.id')),
        eb.exists(eb.selectFrom('holds as h').select('h.id').whereRef('h.slot_id', '=', 's.id')),
      ]).as('referenced'))
      .where('s.band_id', '=', id).where('s.starts_at', '>=', from).orderBy('s.starts_at').forUpdate('s').execute();
    const lastEnd = Math.max(until.getTime(), ...slots.map((s) => s.ends_at.getTime()));
    const produced = new Set(materialiseBand({
      daysOfWeek: band.days_of_week, localStart: band.local_start.slice(0, 5), localEnd: band.local_end.slice(0, 5),
      slotMinutes: band.slot_minutes, validFrom: band.valid_from, validUntil: band.valid_until,
    }, timeZone, from, new Date(lastEnd + 1)).map((i) => `${i.start.getTime()}|${i.end.getTime()}`));
    const stillProduced = (s: (typeof slots)[number]) => s.site_id === band.site_id && s.modality === band.modality && produced.has(`${s.starts_at.getTime()}|${s.ends_at.getTime()}`);

    const outside = slots.filter((s) => !stillProduced(s));
    const liveHeld = outside.filter((s) => s.status === 'held' && s.held_until !== null && s.held_until > from);
    if (liveHeld.length > 0) throw new HeldSlots(liveHeld.map((s) => s.id));
    const open = outside.filter((s) => s.status !== 'booked');
    const toDelete = open.filter((s) => !s.referenced).map((s) => s.id);
    const toBlock = open.filter((s) => s.referenced).map((s) => s.id);
    if (toDelete.length > 0) await trx.deleteFrom('slots').where('id', 'in', toDelete).execute();
    const newlyBlocked = toBlock.length === 0 ? [] : await trx.updateTable('slots').set({ status: 'blocked', held_until: null })
      .where('id', 'in', toBlock).where('status', '!=', 'blocked').returning('id').execute();
    const bookingsKept = outside.flatMap((s) => (s.status === 'booked' && s.booking_id !== null ? [s.booking_id] : []));
    const { inserted } = await materialiseSlots(trx, { from, until, bandIds: [id] });
    await writeAudit(trx, actor, [{
      action: 'band.update', entity: 'band', entityId: id,
      details: { fields, slotsCreated: inserted, slotsRemoved: toDelete.length, slotsKeptBlocked: toBlock.length, bookingsKept: bookingsKept.length },
    }]);
    return { updated: true as const, band, slotsCreated: inserted, slotsRemoved: toDelete.length, slotsKeptBlocked: toBlock.length, bookingsKept, newlyBlocked: newlyBlocked.length };
  }).catch((error: unknown) => {
    if (error instanceof HeldSlots) return { updated: false as const, heldSlots: error.slots };
    throw error;
  });
}
