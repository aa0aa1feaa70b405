// Holds: a short reservation of one slot while the regulator talks to the
// patient. It ends by itself at held_until (PostgreSQL compares with now(); no
// timer is needed), or earlier when its owner releases it or books from it.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { requireRole } from './scopes.js';
import { formatApiDateTime } from '../core/time/index.js';
import type { Actor } from './actor.js';
import { BOOKING_ROLES } from './bookings.js';
import type { UseCaseContext } from './context.js';
import { ApiProblem } from './problem.js';
import { requireOwnRequest, unknownRequest } from './requests-ref.js';
import { conflictProblem, explainLostSlot } from './slot-conflict.js';
import { findVisibleSlot } from './slot-target.js';

export const createHoldSchema = z.strictObject({
  slotId: z.uuid(),
  requestId: z.uuid().optional().meta({ description: 'The triage request (POST /v1/requests) this hold serves' }),
}).meta({ example: { slotId: '6c1f0e2a-58b4-4d9e-8f51-0d7b9f5a2e33' } });
export type CreateHoldInput = z.infer<typeof createHoldSchema>;

export const holdResponseSchema = z.object({
  hold: z.object({
    id: z.uuid(),
    slotId: z.uuid(),
    expiresAt: z.string().meta({ description: 'When the slot is free again unless booked; the territory\'s hold time-to-live from now' }),
  }),
}).meta({ example: { hold: { id: 'f1d2c3b4-a596-4877-8899-aabbccddeeff', slotId: '6c1f0e2a-58b4-4d9e-8f51-0d7b9f5a2e33', expiresAt: '2026-03-10T14:23:00+01:00' } } });
export type HoldResponse = z.infer<typeof holdResponseSchema>;

export async function placeHold(ctx: UseCaseContext, actor: Actor, input: CreateHoldInput): Promise<HoldResponse> {
  const { client } = actor;
  requireRole(client, BOOKING_ROLES);
  await requireOwnRequest(ctx, client, input.requestId);
  const target = await findVisibleSlot(ctx, client, input.slotId, 'slotId');
  for (let round = 0; round < 2; round++) {
    const id = randomUUID();
    const result = await ctx.holds.place({
      slotId: target.id, clientId: client.id, territories: client.territories, holdId: id,
      requestId: input.requestId ?? null, traceId: actor.traceId ?? null, deferNotify: ctx.slotChanges !== undefined,
    });
    if (result.outcome === 'held') {
      // Read-your-writes: the next match here no longer offers it; other instances hear the hint.
      ctx.sync.reflectTaken(target.id, result.changeSeq);
      ctx.slotChanges?.signal(undefined, true);
      return { hold: { id, slotId: target.id, expiresAt: formatApiDateTime(result.expiresAt, target.timeZone) } };
    }
    if (result.outcome === 'unknown-request') throw unknownRequest();
    const explained = await explainLostSlot(ctx, client, target.id, 'slotId');
    if (explained instanceof ApiProblem) throw explained;
    // Free again by the time we looked (a hold expired or was released): one more try.
  }
  throw conflictProblem(ctx, client, target, 'held');
}

const holdNotFound = (holdId: string) => new ApiProblem(404, 'not-found', 'Not found', `hold ${holdId} not found`, { errors: [{ field: 'id', message: 'no such hold of this client' }] });

/** Releases the caller's hold. Releasing twice is fine; a hold already booked is a 409. */
export async function releaseHold(ctx: UseCaseContext, actor: Actor, holdId: string): Promise<void> {
  const { client } = actor;
  requireRole(client, BOOKING_ROLES);
  const hold = await ctx.holds.ownerOf(holdId);
  if (hold === undefined || hold.clientId !== client.id) throw holdNotFound(holdId);
  if (hold.bookedAt !== null) throw new ApiProblem(409, 'hold-used', 'Hold already booked', `hold ${holdId} was turned into a booking; cancel the booking instead`);
  if (hold.releasedAt !== null) return;
  const released = await ctx.holds.release(holdId, client.id, actor.traceId ?? null, ctx.slotChanges !== undefined);
  if (released) {
    ctx.slotChanges?.signal();
    // Read-your-writes: the slot is matchable here before we answer (rare: a pass, not a local upsert).
    await ctx.sync.catchUp().catch(() => {});
  }
  else {
    const bookedAt = await ctx.holds.bookedAt(holdId);
    if (bookedAt != null) throw new ApiProblem(409, 'hold-used', 'Hold already booked', `hold ${holdId} was turned into a booking; cancel the booking instead`);
  }
}
