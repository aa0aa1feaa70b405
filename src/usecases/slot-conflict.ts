// The answer to a lost race: 409 with why the slot is not available and the
// next best candidates for the same kind of slot (same territory and
// profession, nearest to the lost slot's site, the lost slot excluded).
import type { AuthenticatedClient } from './client.js';
import type { UseCaseContext } from './context.js';
import { candidateView, resolveSearch, searchIndex, type CandidateView } from './match.js';
import { ApiProblem } from './problem.js';
import { slotFromDatabase, slotNotFound, territoryForClient, type SlotTarget } from './slot-target.js';

export type UnavailableReason = 'booked' | 'held' | 'blocked' | 'started';

const ALTERNATIVES = 5;

export function unavailableReason(slot: SlotTarget, now: number): UnavailableReason | null {
  if (slot.start <= now) return 'started';
  if (slot.status === 'booked' || slot.status === 'blocked') return slot.status;
  if (slot.status === 'held' && (slot.heldUntil ?? 0) > now) return 'held';
  return null;
}

/** Cheap: one index query, answered from memory. Empty while the index loads. */
export function alternativesFor(ctx: UseCaseContext, client: AuthenticatedClient, slot: SlotTarget): CandidateView[] {
  if (!ctx.sync.status().loaded) return [];
  const territory = territoryForClient(client, slot);
  if (territory === undefined) return [];
  const search = resolveSearch(ctx, client, {
    territory,
    professions: [slot.profession],
    near: { lat: slot.site.lat, lon: slot.site.lon },
    limit: ALTERNATIVES,
  });
  return searchIndex(ctx, search, search.professions, new Set([slot.id])).map((c) => candidateView(c, slot.timeZone));
}

export function conflictProblem(ctx: UseCaseContext, client: AuthenticatedClient, slot: SlotTarget, reason: UnavailableReason): ApiProblem {
  const detail = reason === 'started' ? `slot ${slot.id} has already started` : `slot ${slot.id} is already ${reason}`;
  return new ApiProblem(409, 'slot-unavailable', 'Slot unavailable', detail,
    { slotId: slot.id, reason, alternatives: alternativesFor(ctx, client, slot) });
}

/**
 * After a conditional update matched nothing: read the slot again to say why.
 * Returns the fresh slot when it turns out to be available after all (the
 * index copy used for the attempt was stale), for the caller to retry once.
 */
export async function explainLostSlot(ctx: UseCaseContext, client: AuthenticatedClient, slotId: string, field: string): Promise<ApiProblem | SlotTarget> {
  const fresh = await slotFromDatabase(ctx, slotId);
  if (fresh === undefined || territoryForClient(client, fresh) === undefined) return slotNotFound(slotId, field);
  const reason = unavailableReason(fresh, ctx.now());
  return reason === null ? fresh : conflictProblem(ctx, client, fresh, reason);
}
