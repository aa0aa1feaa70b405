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
  site: { commune: string; lat: number; lon: number; address?: string };
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

/** Slots as read from the system of record (src/db/stores/slots.ts). */
export interface SlotStore {
  find(slotId: string): Promise<SlotTarget | undefined>;
}

export function slotFromDatabase(ctx: UseCaseContext, slotId: string): Promise<SlotTarget | undefined> {
  return ctx.slots.find(slotId);
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
