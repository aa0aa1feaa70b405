// The slot a hold or a booking aims at, with what its answer needs (times,
// professional, zone). Read from the in-memory index when the slot is there
// (the common case: a free slot just matched) and from PostgreSQL otherwise.
// The index copy is only a hint: the conditional UPDATE re-checks everything.
import type { Modality, Profession, SlotStatus } from '../core/domain.js';
import type { AuthenticatedClient } from './client.js';
import type { UseCaseContext } from './context.js';
import { ApiProblem } from './problem.js';

export interface SlotTarget {
  id: string;
  territoryId: string;
  professionalId: string;
  rpps: string;
  professionalName: string;
  profession: Profession;
  start: number;
  end: number;
  modality: Modality;
  site: { commune: string; lat: number; lon: number };
  timeZone: string;
  /** Known only when read from PostgreSQL. */
  status?: SlotStatus;
  heldUntil?: number | null;
}

export function slotFromIndex(ctx: UseCaseContext, slotId: string): SlotTarget | undefined {
  const slot = ctx.index.get(slotId);
  const territory = slot === undefined ? undefined : ctx.territories.territory(slot.territoryId);
  if (slot === undefined || territory === undefined) return undefined;
  return {
    id: slot.id, territoryId: slot.territoryId, professionalId: slot.professional.id, rpps: slot.professional.rpps,
    professionalName: slot.professional.name, profession: slot.professional.profession, start: slot.start, end: slot.end,
    modality: slot.modality, site: { commune: slot.site.commune, lat: slot.site.lat, lon: slot.site.lon }, timeZone: territory.timeZone,
  };
}

export async function slotFromDatabase(ctx: UseCaseContext, slotId: string): Promise<SlotTarget | undefined> {
  const row = await ctx.database.db.selectFrom('slots as s')
    .innerJoin('professionals as p', 'p.id', 's.professional_id')
    .innerJoin('sites as si', 'si.id', 's.site_id')
    .innerJoin('territories as t', 't.id', 's.territory_id')
    .select(['s.id', 's.territory_id', 's.professional_id', 's.starts_at', 's.ends_at', 's.modality', 's.status', 's.held_until',
      'p.rpps', 'p.given_name', 'p.family_name', 'p.profession', 'si.commune_code', 'si.lat', 'si.lon', 't.time_zone'])
    .where('s.id', '=', slotId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id, territoryId: row.territory_id, professionalId: row.professional_id, rpps: row.rpps,
    // Same shape as the index's name (src/db/sync/slot-rows.ts), so answers do not depend on where the slot was read.
    professionalName: `${row.given_name} ${row.family_name}`, profession: row.profession,
    start: row.starts_at.getTime(), end: row.ends_at.getTime(), modality: row.modality,
    site: { commune: row.commune_code, lat: row.lat, lon: row.lon }, timeZone: row.time_zone,
    status: row.status, heldUntil: row.held_until?.getTime() ?? null,
  };
}

export function slotNotFound(slotId: string, field: string): ApiProblem {
  return new ApiProblem(404, 'not-found', 'Not found', `slot ${slotId} not found`, { errors: [{ field, message: 'no such slot in your territories' }] });
}

/**
 * The slot, if it exists in one of the client's territories. A slot elsewhere
 * is reported exactly like a missing one: a client learns nothing outside its scope.
 */
export async function findVisibleSlot(ctx: UseCaseContext, client: AuthenticatedClient, slotId: string, field: string): Promise<SlotTarget> {
  const slot = slotFromIndex(ctx, slotId) ?? await slotFromDatabase(ctx, slotId);
  if (slot === undefined || !client.territories.includes(slot.territoryId)) throw slotNotFound(slotId, field);
  return slot;
}
