// The free slots of named professionals (by RPPS) in a time window: what the
// SAS platform asks a CPTS agenda for (FHIR Slot search). Answered from memory:
// the by-professional view of the index, scoped to the client's territories.
import { requireRole } from './scopes.js';
import { isServedInAny, type FreeSlot } from '../core/index/index.js';
import type { AuthenticatedClient } from './client.js';
import type { UseCaseContext } from './context.js';

/** The SAS platform (a regulator client) and the CPTS's own coordination tools. */
export const SLOT_DIRECTORY_ROLES = ['regulator', 'coordinator'] as const;

/** The free slots of the index by professional (src/db/sync/professional-slots.ts keeps one). */
export interface SlotsByProfessional {
  slotsOf(rpps: string): FreeSlot[];
}

export interface ProfessionalSlotsQuery {
  rpps: readonly string[];
  /** Inclusive bounds on the slot's start, epoch ms. */
  from: number;
  until: number;
}

/** Earliest first (ties by id); nothing that has started, nothing outside the client's territories. */
export function freeSlotsOfProfessionals(
  ctx: UseCaseContext, view: SlotsByProfessional, client: AuthenticatedClient, query: ProfessionalSlotsQuery,
): FreeSlot[] {
  requireRole(client, SLOT_DIRECTORY_ROLES);
  const from = Math.max(query.from, ctx.now());
  // A national client may be scoped to hundreds of territories.
  const scope = new Set(client.territories);
  const found: FreeSlot[] = [];
  for (const rpps of new Set(query.rpps)) {
    for (const slot of view.slotsOf(rpps)) {
      if (slot.start >= from && slot.start <= query.until && isServedInAny(slot, scope)) found.push(slot);
    }
  }
  return found.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
