// The one claim-and-retry path of every booking, whichever channel made it
// (POST /v1/bookings and the counter socket's "book", the SAS's FHIR
// Appointment): the one-statement claim of ctx.slotClaims with its
// outbox event, audit row and idempotency record, tried at most twice.
import { randomUUID } from 'node:crypto';
import type { Actor } from './actor.js';
import { bookingEventPayload, bookingView, type BookingResponse, type Patient } from './booking-view.js';
import type { UseCaseContext } from './context.js';
import { ApiProblem } from './problem.js';
import { unknownRequest } from './requests-ref.js';
import { explainLostSlot } from './slot-conflict.js';
import type { SlotTarget } from './slot-target.js';

export interface BookingClaim<Replay> {
  /** The slot aimed at, as last read (the claim re-checks it). */
  target: SlotTarget;
  /** The input field that named the slot, for a 404 should it vanish meanwhile. */
  slotField: string;
  requestId: string | null;
  holdId: string | null;
  patient: Patient | null;
  idempotencyKey: string;
  requestHash: Buffer;
  auditDetails: (slot: SlotTarget) => Record<string, unknown>;
  /** The answer a concurrent request with the same key committed; undefined when the key was purged meanwhile. */
  replay: () => Promise<Replay | undefined>;
}

export type BookingClaimResult<Replay> =
  | { outcome: 'booked'; body: BookingResponse }
  | { outcome: 'replayed'; answer: Replay }
  /** Lost twice to a stale copy of the slot: the caller says so in its own terms. */
  | { outcome: 'exhausted'; target: SlotTarget };

export async function claimBooking<Replay>(ctx: UseCaseContext, actor: Actor, claim: BookingClaim<Replay>): Promise<BookingClaimResult<Replay>> {
  const { client } = actor;
  let target = claim.target;
  for (let round = 0; round < 2; round++) {
    const view = bookingView({
      id: randomUUID(), slotId: target.id, status: 'booked', start: target.start, end: target.end,
      rpps: target.rpps, professionalName: target.professionalName, timeZone: target.timeZone,
    });
    const body: BookingResponse = { booking: view };
    const result = await ctx.slotClaims.book({
      slotId: target.id, clientId: client.id, territories: client.territories, bookingId: view.id,
      requestId: claim.requestId, holdId: claim.holdId, patient: claim.patient,
      idempotencyKey: claim.idempotencyKey, requestHash: claim.requestHash, responseBody: body,
      eventPayload: bookingEventPayload(view, { patient: claim.patient, modality: target.modality }, actor.traceId),
      auditDetails: claim.auditDetails(target),
      traceId: actor.traceId ?? null, professionalId: target.professionalId, start: target.start,
      deferNotify: ctx.slotChanges !== undefined,
    });
    switch (result.outcome) {
      case 'booked':
        // Read-your-writes: the next match here no longer offers it; other instances hear the hint,
        // which carries the booking's event to their sockets (this instance's get it at once).
        ctx.sync.reflectTaken(target.id, result.changeSeq);
        ctx.slotChanges?.signal([result.event], true);
        return { outcome: 'booked', body };
      case 'unknown-request':
        throw unknownRequest();
      case 'key-taken': {
        const answer = await claim.replay();
        if (answer !== undefined) return { outcome: 'replayed', answer };
        continue; // the key was purged meanwhile: try again
      }
      case 'not-claimed': {
        const explained = await explainLostSlot(ctx, client, target.id, claim.slotField);
        if (explained instanceof ApiProblem) throw explained;
        target = explained; // the copy we used was stale; once more from PostgreSQL's
      }
    }
  }
  return { outcome: 'exhausted', target };
}
