// The slot a hold or a booking aims at, with what its answer needs (times,
// professional, zone). Read from the in-memory index when the slot is there
// (the common case: a free slot just matched) and from PostgreSQL otherwise.
// The index copy is only a hint: the conditional UPDATE re-checks everything.
import type { Modality, Profession, SlotStatus } from '../core/domain.js';
import { servedTerritories } from '../core/index/index.js';
import type { AuthenticatedClient } from './client.js';
import type { UseCaseContext } from './context.js';
import { ApiProblem } from './problem.js';

export interface SlotTarget {
  id: string;
  /** The territory that organised the slot. */
  territoryId: string;
  /** Every territory the slot is offered in: its own first, then its professional's other CPTS. */
  territories: readonly string[];
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
    id: slot.id, territoryId: slot.territoryId, territories: servedTerritories(slot), professionalId: slot.professional.id, rpps: slot.professional.rpps,
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
  if (slot === undefined || territoryForClient(client, slot) === undefined) throw slotNotFound(slotId, field);
  return slot;
}

/**
 * The territory a client acts in on this slot: the slot's own when the client
 * is scoped to it, else the first of the other territories the slot is offered
 * in that the client is scoped to; undefined when the slot is outside its scope.
 */
export function territoryForClient(client: AuthenticatedClient, slot: Pick<SlotTarget, 'territories'>): string | undefined {
  return slot.territories.find((territory) => client.territories.includes(territory));
}
