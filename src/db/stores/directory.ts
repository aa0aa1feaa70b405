// The directory as the coordinator use cases change it
// (src/usecases/admin/directory-store.ts DirectoryStore): professionals,
// sites, on-call bands, slots; each write audited in its transaction.
import type { DirectoryStore } from '../../usecases/admin/directory-store.js';
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { DatabaseHandle } from '../database.js';
import type { Database } from '../schema.js';
import { materialiseSlots } from '../materialise-slots.js';
import { writeAudit } from './audit.js';
import { markUnavailable } from './unavailability.js';
import { updateBand } from './band-edit.js';

/** Thrown inside the cancelling transaction to roll it back when booked or held slots remain. */
class KeptSlots extends Error {
  constructor(readonly bookings: string[], readonly heldSlots: string[]) { super('kept slots'); }
}

export function pgDirectory(database: DatabaseHandle): DirectoryStore {
  const { db } = database;
  const professionals = (q: Kysely<Database> | Transaction<Database>) => q.selectFrom('professionals as p').selectAll('p')
    .select((eb) => eb.fn<string[]>('array', [eb.selectFrom('professional_territories as pt').select('pt.territory_id')
      .whereRef('pt.professional_id', '=', 'p.id').orderBy('pt.territory_id')]).as('territories'));
  return {
    professional: (id) => professionals(db).where('p.id', '=', id).executeTakeFirst(),

    professionalByRpps: (rpps) => professionals(db).where('p.rpps', '=', rpps).executeTakeFirst(),

    professionalsOf: (territories) => professionals(db)
      .where((eb) => eb.exists(eb.selectFrom('professional_territories as m').select('m.territory_id')
        .whereRef('m.professional_id', '=', 'p.id').where('m.territory_id', 'in', territories)))
      .orderBy('p.family_name').orderBy('p.given_name').orderBy('p.id').execute(),

    createProfessional: (actor, input) => db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('professionals').values({
        rpps: input.rpps, territory_id: input.territory, family_name: input.familyName, given_name: input.givenName,
        profession: input.profession, skills: input.skills, modalities: input.modalities,
      }).returningAll().executeTakeFirstOrThrow();
      await writeAudit(trx, actor, [{ action: 'professional.create', entity: 'professional', entityId: inserted.id, details: { rpps: input.rpps } }]);
      return { ...inserted, territories: [inserted.territory_id] };
    }),

    updateProfessional: (actor, id, set, fields) => db.transaction().execute(async (trx) => {
      await trx.updateTable('professionals').set({ ...set, updated_at: new Date() }).where('id', '=', id).executeTakeFirstOrThrow();
      await writeAudit(trx, actor, [{ action: 'professional.update', entity: 'professional', entityId: id, details: { fields } }]);
      return professionals(trx).where('p.id', '=', id).executeTakeFirstOrThrow();
    }),

    addMembership: (actor, professionalId, territory) => db.transaction().execute(async (trx) => {
      const added = await trx.insertInto('professional_territories').values({ professional_id: professionalId, territory_id: territory })
        .onConflict((oc) => oc.doNothing()).returning('territory_id').executeTakeFirst();
      if (added === undefined) return false;
      await writeAudit(trx, actor, [{ action: 'membership.add', entity: 'professional', entityId: professionalId, details: { territory } }]);
      return true;
    }),

    removeMembership: (actor, professionalId, territory) => db.transaction().execute(async (trx) => {
      const removed = await trx.deleteFrom('professional_territories')
        .where('professional_id', '=', professionalId).where('territory_id', '=', territory).returning('territory_id').executeTakeFirst();
      if (removed === undefined) return false;
      await writeAudit(trx, actor, [{ action: 'membership.remove', entity: 'professional', entityId: professionalId, details: { territory } }]);
      return true;
    }),

    site: (id) => db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst(),

    commune: (code) => db.selectFrom('communes').select(['code', 'lat', 'lon']).where('code', '=', code).executeTakeFirst(),

    createSite: (actor, professionalId, input) => db.transaction().execute(async (trx) => {
      const site = await trx.insertInto('sites').values({
        professional_id: professionalId, commune_code: input.commune, label: input.label, address: input.address, lat: input.lat, lon: input.lon,
      }).returningAll().executeTakeFirstOrThrow();
      await writeAudit(trx, actor, [{ action: 'site.create', entity: 'site', entityId: site.id, details: { professionalId, commune: input.commune } }]);
      return site;
    }),

    activeBandsOf: (professionalId) => db.selectFrom('oncall_bands').selectAll()
      .where('professional_id', '=', professionalId).where('active', '=', true).execute(),

    createBand: (actor, input) => db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('oncall_bands').values({
        professional_id: input.professionalId, site_id: input.siteId, days_of_week: input.daysOfWeek, local_start: input.localStart,
        local_end: input.localEnd, slot_minutes: input.slotMinutes, modality: input.modality, valid_from: input.validFrom, valid_until: input.validUntil,
      }).returningAll().executeTakeFirstOrThrow();
      await writeAudit(trx, actor, [{ action: 'band.create', entity: 'band', entityId: row.id, details: { professionalId: input.professionalId } }]);
      return row;
    }),

    sitesOf: async (ids) => (ids.length === 0 ? [] : db.selectFrom('sites').select(['id', 'professional_id', 'commune_code', 'label', 'address', 'lat', 'lon'])
      .where('professional_id', 'in', ids).orderBy('label').orderBy('id').execute()),

    bandsOf: async (territories, fromDate, untilDate) => (territories.length === 0 ? [] : db.selectFrom('oncall_bands as b')
      .innerJoin('professionals as p', 'p.id', 'b.professional_id').innerJoin('sites as s', 's.id', 'b.site_id')
      .selectAll('b').select(['p.territory_id', 'p.rpps', 'p.family_name', 'p.given_name', 's.label as site_label', 's.commune_code'])
      .select((eb) => eb.fn<string[]>('array', [eb.selectFrom('professional_territories as pt').select('pt.territory_id')
        .whereRef('pt.professional_id', '=', 'p.id').orderBy('pt.territory_id')]).as('territories'))
      .where((eb) => eb.exists(eb.selectFrom('professional_territories as m').select('m.territory_id')
        .whereRef('m.professional_id', '=', 'p.id').where('m.territory_id', 'in', territories)))
      .where('b.active', '=', true)
      .where('b.valid_from', '<=', untilDate).where((eb) => eb.or([eb('b.valid_until', 'is', null), eb('b.valid_until', '>=', fromDate)]))
      .orderBy('p.family_name').orderBy('b.local_start').orderBy('b.id').execute()),

    band: (id) => db.selectFrom('oncall_bands').selectAll().where('id', '=', id).executeTakeFirst(),

    cancelBand: (actor, id, from) => db.transaction().execute(async (trx) => {
      // Locks the band: two cancellations (or a cancellation and an edit) run one after the other.
      await trx.selectFrom('oncall_bands').select('id').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
      // Deleting first takes the slots' row locks: a booking racing us either committed before
      // (its slot is no longer open, kept, and found below) or finds no slot.
      const open = (eb: ExpressionBuilder<Database, 'slots'>) => eb.and([eb('band_id', '=', id), eb('starts_at', '>=', from),
        eb.or([eb('status', 'in', ['free', 'blocked']), eb.and([eb('status', '=', 'held'), eb('held_until', '<=', from)])])]);
      // A slot a hold or booking once referenced stays, blocked, for the record; the others go.
      const removed = await trx.deleteFrom('slots').where(open)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('bookings as k').select('k.id').whereRef('k.slot_id', '=', 'slots.id'))))
        .where((eb) => eb.not(eb.exists(eb.selectFrom('holds as h').select('h.id').whereRef('h.slot_id', '=', 'slots.id'))))
        .returning('id').execute();
      const blocked = await trx.updateTable('slots').set({ status: 'blocked', held_until: null }).where(open).where('status', '!=', 'blocked').returning('id').execute();
      const stillBlocked = await trx.selectFrom('slots').select('id').where(open).execute();
      const kept = await trx.selectFrom('slots as s').leftJoin('bookings as k', (j) => j.onRef('k.slot_id', '=', 's.id').on('k.status', '=', 'booked'))
        .select(['s.id', 's.status', 'k.id as booking_id']).where('s.band_id', '=', id).where('s.starts_at', '>=', from)
        .where('s.status', 'in', ['booked', 'held']).orderBy('s.starts_at').execute();
      if (kept.length > 0) {
        throw new KeptSlots(kept.flatMap((k) => (k.booking_id === null ? [] : [k.booking_id])), kept.filter((k) => k.status === 'held').map((k) => k.id));
      }
      await trx.updateTable('oncall_bands').set({ active: false }).where('id', '=', id).execute();
      await writeAudit(trx, actor, [{ action: 'band.cancel', entity: 'band', entityId: id, details: { slotsRemoved: removed.length, slotsKeptBlocked: stillBlocked.length } }]);
      return { cancelled: true as const, slotsRemoved: removed.length, slotsKeptBlocked: stillBlocked.length, newlyBlocked: blocked.length };
    }).catch((error: unknown) => {
      if (error instanceof KeptSlots) return { cancelled: false as const, bookings: error.bookings, heldSlots: error.heldSlots };
      throw error;
    }),

    updateBand: (actor, id, rule, fields, from, until) => updateBand(db, actor, id, rule, fields, from, until),

    materialiseBand: (bandId, from, until) => materialiseSlots(db, { from, until, bandIds: [bandId] }),

    slot: (id) => db.selectFrom('slots as s').innerJoin('territories as t', 't.id', 's.territory_id')
      .select(['s.id', 's.professional_id', 's.site_id', 's.territory_id', 's.starts_at', 's.ends_at', 's.modality', 's.status', 's.held_until', 't.time_zone'])
      .where('s.id', '=', id).executeTakeFirstOrThrow(),

    slotsOf: (territoryId, from, until, limit) => db.selectFrom('slots as s').innerJoin('territories as t', 't.id', 's.territory_id')
      .innerJoin('professionals as p', 'p.id', 's.professional_id')
      .select(['s.id', 's.professional_id', 's.site_id', 's.territory_id', 's.band_id', 's.starts_at', 's.ends_at', 's.modality', 's.status', 's.held_until', 't.time_zone',
        'p.rpps', 'p.family_name', 'p.given_name', 'p.profession'])
      .where('s.territory_id', '=', territoryId).where('s.starts_at', '>=', from).where('s.starts_at', '<', until)
      .orderBy('s.starts_at').orderBy('s.id').limit(limit).execute(),

    slotScope: (id) => db.selectFrom('slots').select(['id', 'territory_id', 'status']).where('id', '=', id).executeTakeFirst(),

    createSlot: (actor, input) => db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('slots').values({
        professional_id: input.professionalId, site_id: input.siteId, territory_id: input.territoryId, band_id: null,
        starts_at: input.start, ends_at: input.end, modality: input.modality,
      }).returning('id').executeTakeFirstOrThrow();
      await writeAudit(trx, actor, [{ action: 'slot.create', entity: 'slot', entityId: row.id, details: { professionalId: input.professionalId } }]);
      return row.id;
    }),

    blockSlot: (actor, id, reason) => db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('slots').set({ status: 'blocked', held_until: null })
        .where('id', '=', id).where('status', 'in', ['free', 'held']).returning(['id', 'change_seq']).executeTakeFirst();
      if (row === undefined) return undefined;
      await writeAudit(trx, actor, [{ action: 'slot.block', entity: 'slot', entityId: id, details: { reason } }]);
      return { changeSeq: row.change_seq };
    }),

    unblockSlot: (actor, id) => db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('slots').set({ status: 'free', held_until: null })
        .where('id', '=', id).where('status', '=', 'blocked').returning('id').executeTakeFirst();
      if (row !== undefined) await writeAudit(trx, actor, [{ action: 'slot.unblock', entity: 'slot', entityId: id }]);
      return row !== undefined;
    }),

    markUnavailable: (actor, professionalId, period) => markUnavailable(db, actor, professionalId, period),
  };
}
