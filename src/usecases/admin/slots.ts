// Coordinator: ad-hoc slots outside any band, and blocking / unblocking one slot.
import { z } from 'zod';
import { MODALITIES, SLOT_STATUSES } from '../../core/domain.js';
import { formatApiDateTime } from '../../core/time/index.js';
import type { Actor } from '../actor.js';
import type { UseCaseContext } from '../context.js';
import { ApiProblem, validationProblem } from '../problem.js';
import { notFoundAt, professionalInScope, requireCoordinator, siteOfProfessional } from './scope.js';
import { plainText } from '../../core/text.js';

const MAX_SLOT_MS = 4 * 3_600_000;

export const createSlotSchema = z.strictObject({
  professionalId: z.uuid(),
  siteId: z.uuid(),
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  modality: z.enum(MODALITIES),
}).meta({ example: { professionalId: '2b7c9d1e-0f3a-4b5c-8d6e-7f8091a2b3c4', siteId: '3c8d0e2f-1a4b-4c6d-9e7f-8091a2b3c4d5', start: '2026-03-10T18:00:00+01:00', end: '2026-03-10T18:20:00+01:00', modality: 'office' } });
export type CreateSlotInput = z.infer<typeof createSlotSchema>;

export const blockSlotSchema = z.strictObject({ reason: plainText().trim().min(1).max(200).optional() }).nullish()
  .meta({ example: { reason: 'room unavailable' } });

export const slotResponseSchema = z.object({
  slot: z.object({ id: z.uuid(), professionalId: z.uuid(), siteId: z.uuid(), territory: z.string(), start: z.string(), end: z.string(), modality: z.enum(MODALITIES), status: z.enum(SLOT_STATUSES) }),
});
export type SlotResponse = z.infer<typeof slotResponseSchema>;

async function slotResponse(ctx: UseCaseContext, id: string): Promise<SlotResponse> {
  const s = await ctx.directory.slot(id);
  // An expired hold is a free slot, whatever the row still says.
  const status = s.status === 'held' && s.held_until !== null && s.held_until.getTime() <= ctx.now() ? 'free' : s.status;
  return { slot: { id: s.id, professionalId: s.professional_id, siteId: s.site_id, territory: s.territory_id, start: formatApiDateTime(s.starts_at, s.time_zone), end: formatApiDateTime(s.ends_at, s.time_zone), modality: s.modality, status } };
}

export async function createSlot(ctx: UseCaseContext, actor: Actor, input: CreateSlotInput): Promise<SlotResponse> {
  requireCoordinator(actor.client);
  const start = Date.parse(input.start);
  const end = Date.parse(input.end);
  if (!(end > start)) throw validationProblem([{ field: 'end', message: 'must be after start' }]);
  if (end - start > MAX_SLOT_MS) throw validationProblem([{ field: 'end', message: 'a slot lasts at most 4 hours' }]);
  if (start <= ctx.now()) throw validationProblem([{ field: 'start', message: 'must be in the future' }]);
  const professional = await professionalInScope(ctx, actor.client, input.professionalId, 'professionalId');
  await siteOfProfessional(ctx, professional.id, input.siteId, 'siteId');
  if (!professional.modalities.includes(input.modality)) {
    throw validationProblem([{ field: 'modality', message: `this professional offers ${professional.modalities.join(', ')}` }]);
  }
  try {
    const id = await ctx.directory.createSlot(actor, {
      professionalId: professional.id, siteId: input.siteId, territoryId: professional.territory_id,
      start: new Date(start), end: new Date(end), modality: input.modality,
    });
    // Read-your-writes: matchable here before we answer.
    await ctx.sync.catchUp().catch(() => {});
    return await slotResponse(ctx, id);
  } catch (error) {
    if ((error as { code?: string }).code === '23P01') {
      throw new ApiProblem(409, 'slot-overlap', 'Slot overlaps another', 'this professional already has a slot at that time', { errors: [{ field: 'start', message: 'overlaps another slot of this professional' }] });
    }
    throw error;
  }
}

async function slotInScope(ctx: UseCaseContext, actor: Actor, id: string) {
  const slot = await ctx.directory.slotScope(id);
  if (slot === undefined || !actor.client.territories.includes(slot.territory_id)) throw notFoundAt('slot', id, 'id');
  return slot;
}

/** A free or held slot stops being offered. A booked one must be cancelled first. */
export async function blockSlot(ctx: UseCaseContext, actor: Actor, id: string, reason: string | null): Promise<SlotResponse> {
  requireCoordinator(actor.client);
  await slotInScope(ctx, actor, id);
  const changed = await ctx.directory.blockSlot(actor, id, reason);
  // Read-your-writes: the next match here no longer offers it.
  if (changed !== undefined) ctx.sync.reflectTaken(id, changed.changeSeq);
  else {
    const now = await slotInScope(ctx, actor, id);
    if (now.status === 'booked') throw new ApiProblem(409, 'slot-booked', 'Slot booked', `slot ${id} is booked; cancel its booking first (or mark the professional unavailable)`);
  }
  return slotResponse(ctx, id);
}

export async function unblockSlot(ctx: UseCaseContext, actor: Actor, id: string): Promise<SlotResponse> {
  requireCoordinator(actor.client);
  await slotInScope(ctx, actor, id);
  const unblocked = await ctx.directory.unblockSlot(actor, id);
  // Read-your-writes: matchable here before we answer (rare: a pass reads the row, its professional and site).
  if (unblocked) await ctx.sync.catchUp().catch(() => {});
  return slotResponse(ctx, id);
}
