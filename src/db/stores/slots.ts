// The slot a hold or a booking aims at, read from PostgreSQL when the index
// does not have it (src/usecases/slot-target.ts SlotStore).
import type { SlotStore } from '../../usecases/slot-target.js';
import type { DatabaseHandle } from '../database.js';

export function pgSlots(database: DatabaseHandle): SlotStore {
  return {
    async find(slotId) {
      const row = await database.db.selectFrom('slots as s')
        .innerJoin('professionals as p', 'p.id', 's.professional_id')
        .innerJoin('sites as si', 'si.id', 's.site_id')
        .innerJoin('territories as t', 't.id', 's.territory_id')
        .select(['s.id', 's.territory_id', 's.professional_id', 's.starts_at', 's.ends_at', 's.modality', 's.status', 's.held_until',
          'p.rpps', 'p.given_name', 'p.family_name', 'p.profession', 'si.commune_code', 'si.lat', 'si.lon', 'si.address', 't.time_zone'])
        // Every CPTS the professional serves (migration 015), sorted like the index's copy.
        .select((eb) => eb.fn<string[]>('array', [eb.selectFrom('professional_territories as pt')
          .select('pt.territory_id').whereRef('pt.professional_id', '=', 's.professional_id').orderBy('pt.territory_id')]).as('memberships'))
        .where('s.id', '=', slotId)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        id: row.id, territoryId: row.territory_id,
        territories: [row.territory_id, ...row.memberships.filter((t) => t !== row.territory_id)], professionalId: row.professional_id, rpps: row.rpps,
        // Same shape as the index's name (src/db/sync/slot-rows.ts), so answers do not depend on where the slot was read.
        professionalName: `${row.given_name} ${row.family_name}`, profession: row.profession,
        start: row.starts_at.getTime(), end: row.ends_at.getTime(), modality: row.modality,
        site: { commune: row.commune_code, lat: row.lat, lon: row.lon, ...(row.address !== null ? { address: row.address } : {}) }, timeZone: row.time_zone,
        status: row.status, heldUntil: row.held_until?.getTime() ?? null,
      };
    },
  };
}
