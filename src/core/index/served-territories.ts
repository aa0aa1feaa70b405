// Where a free slot is offered: the territory that organised it (its own
// territoryId) and every territory its professional serves (issue 14: a
// professional may belong to several CPTS). One rule, read by the index that
// files slots, the use cases that authorise them and the FHIR Slot builder.
import type { FreeSlot } from './free-slot.js';

/** The territories the slot is offered in, its own first, each once. */
export function servedTerritories(slot: Pick<FreeSlot, 'territoryId' | 'professional'>): readonly string[] {
  const others = slot.professional.territories;
  if (others === undefined || (others.length === 1 && others[0] === slot.territoryId)) return [slot.territoryId];
  const all = [slot.territoryId];
  for (const territory of others) if (!all.includes(territory)) all.push(territory);
  return all;
}

/** The territories besides its own where the slot is offered (usually none). */
export function otherServedTerritories(slot: Pick<FreeSlot, 'territoryId' | 'professional'>): readonly string[] {
  const others = slot.professional.territories;
  if (others === undefined) return [];
  return servedTerritories(slot).slice(1);
}

/** True when the slot is offered in at least one of these territories. */
export function isServedInAny(slot: Pick<FreeSlot, 'territoryId' | 'professional'>, territories: ReadonlySet<string> | readonly string[]): boolean {
  const has = (t: string) => (territories instanceof Set ? territories.has(t) : (territories as readonly string[]).includes(t));
  if (has(slot.territoryId)) return true;
  for (const territory of slot.professional.territories ?? []) if (has(territory)) return true;
  return false;
}
