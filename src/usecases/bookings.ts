// POST /v1/bookings (and the counter socket's "book"): a free slot, or one the
// caller holds, becomes a booking in one atomic statement with its outbox
// event, audit row and idempotency record (src/usecases/claim-booking.ts).
import { z } from 'zod';
import { requireRole } from './scopes.js';
import type { Actor } from './actor.js';
import { patientSchema, type BookingResponse } from './booking-view.js';
import { claimBooking } from './claim-booking.js';
import type { UseCaseContext } from './context.js';
import { checkIdempotencyKey, replayIfKnown, requestHash, type StoredAnswer } from './idempotency.js';
import { ApiProblem } from './problem.js';
import { requireOwnRequest } from './requests-ref.js';
import { conflictProblem } from './slot-conflict.js';
import { findVisibleSlot } from './slot-target.js';
import { debugSlowdown } from '../core/debug-slowdown.js';

export const BOOKING_ROLES = ['regulator', 'pharmacist', 'coordinator'] as const;

export const createBookingSchema = z.strictObject({
  slotId: z.uuid().optional().meta({ description: 'A free slot (from /v1/match). Give this or holdId.' }),
  holdId: z.uuid().optional().meta({ description: 'A hold of yours (from /v1/holds). Give this or slotId.' }),
  requestId: z.uuid().optional().meta({ description: 'The triage request (POST /v1/requests) this booking answers' }),
  patient: patientSchema,
}).refine((b) => (b.slotId === undefined) !== (b.holdId === undefined), {
  path: ['slotId'], message: 'give exactly one of slotId and holdId',
}).meta({
  example: { slotId: '6c1f0e2a-58b4-4d9e-8f51-0d7b9f5a2e33', patient: { name: 'J. D.', phone: '+33 6 12 34 56 78', age: 34, sex: 'female' } },
});
export type CreateBookingInput = z.infer<typeof createBookingSchema>;

const OPERATION = 'POST /v1/bookings';

export async function createBooking(ctx: UseCaseContext, actor: Actor, input: CreateBookingInput, idempotencyKey: string | undefined): Promise<StoredAnswer<BookingResponse>> {
  requireRole(actor.client, BOOKING_ROLES);
  debugSlowdown('booking'); // off unless SNP_DEBUG_SLOWDOWN says so (bench guards)
  const key = checkIdempotencyKey(idempotencyKey);
  const hash = requestHash(OPERATION, input);
  try {
    return await attempt(ctx, actor, input, key, hash);
  } catch (error) {
    if (!(error instanceof ApiProblem)) throw error;
    // A retry of a booking that already went through finds its slot (or hold)
    // taken, by itself: it gets the first answer back instead of the refusal.
    const replay = await replayIfKnown<BookingResponse>(ctx.idempotency, actor.client.id, key, hash);
    if (replay !== undefined) return replay;
    throw error;
  }
}

async function attempt(ctx: UseCaseContext, actor: Actor, input: CreateBookingInput, key: string, hash: Buffer): Promise<StoredAnswer<BookingResponse>> {
  const { client } = actor;
  const field = input.holdId !== undefined ? 'holdId' : 'slotId';
  const slotId = input.holdId !== undefined ? await slotOfOwnHold(ctx, client.id, input.holdId) : input.slotId!;
  await requireOwnRequest(ctx, client, input.requestId);
  const target = await findVisibleSlot(ctx, client, slotId, field);
  const claimed = await claimBooking(ctx, actor, {
    target, slotField: field, requestId: input.requestId ?? null, holdId: input.holdId ?? null, patient: input.patient,
    idempotencyKey: key, requestHash: hash,
    auditDetails: (slot) => ({ slotId: slot.id, holdId: input.holdId ?? null, requestId: input.requestId ?? null, idempotencyKey: key }),
    replay: () => replayIfKnown<BookingResponse>(ctx.idempotency, client.id, key, hash),
  });
  switch (claimed.outcome) {
    case 'booked': return { status: 201, body: claimed.body, replayed: false };
    case 'replayed': return claimed.answer;
    case 'exhausted': throw conflictProblem(ctx, client, claimed.target, 'held');
  }
}

/** The slot of the caller's hold; another client's hold is reported as missing. */
async function slotOfOwnHold(ctx: UseCaseContext, clientId: string, holdId: string): Promise<string> {
  const hold = await ctx.holds.find(holdId);
  if (hold === undefined || hold.clientId !== clientId) {
    throw new ApiProblem(404, 'not-found', 'Not found', `hold ${holdId} not found`, { errors: [{ field: 'holdId', message: 'no such hold of this client' }] });
  }
  if (hold.bookedAt !== null) throw new ApiProblem(409, 'hold-used', 'Hold already booked', `hold ${holdId} was already turned into a booking`, { errors: [{ field: 'holdId', message: 'already booked' }] });
  if (hold.releasedAt !== null) throw new ApiProblem(409, 'hold-released', 'Hold released', `hold ${holdId} was released`, { errors: [{ field: 'holdId', message: 'released' }] });
  return hold.slotId;
}
