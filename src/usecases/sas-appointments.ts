// Appointments the SAS platform makes or changes (FHIR FrAppointmentSAS), as
// our bookings. The SAS names the professional (RPPS) and the start and end,
// not our slot, and usually no patient: so instead of createBooking (whose
// input requires a patient with a phone) this composes the same parts — the
// claim-and-retry of claim-booking.ts (the one-statement claim with its outbox
// event, audit row and idempotency record, the 409 explanation), the
// transitions of booking-transitions.ts — keyed by the Appointment identifier.
// Fields are named as in SasAppointment; the FHIR transport names them as FHIRPaths.
// Run it with the FHIR channel's context (src/sas/storage/fhir-channel.ts) so
// that the SAS is not told back what it did itself. Links and the slot lookup
// go through ctx.sasAppointments (src/sas/storage/appointment-store.ts).
import { createHash } from 'node:crypto';
import { requireRole } from './scopes.js';
import type { BookingStatus } from '../core/domain.js';
import type { Actor } from './actor.js';
import { findVisibleBooking, type StoredBooking } from './booking-records.js';
import { cancelBooking, recordOutcome } from './booking-transitions.js';
import type { BookingResponse, Patient } from './booking-view.js';
import { claimBooking } from './claim-booking.js';
import type { UseCaseContext } from './context.js';
import { replayIfKnown, requestHash } from './idempotency.js';
import { ApiProblem } from './problem.js';
import type { AppointmentIdentifier, AppointmentLink, OperatorIdentifier } from './sas-appointment-store.js';
import { findVisibleSlot, type SlotTarget } from './slot-target.js';

export interface SasAppointment {
  identifier: AppointmentIdentifier;
  status: BookingStatus;
  start: number;
  end: number;
  /** The participant's IDNPS; only "8" + RPPS can name one of our professionals. */
  idnps: string;
  rpps?: string | undefined;
  slotId?: string | undefined;
  operator: OperatorIdentifier;
  /** Kept only when complete enough for a call-back (name and phone); never logged. */
  patient: Patient | null;
}

export interface SasAppointmentOutcome {
  /** 201 when this call (or the first of its retries) created the booking, else 200. */
  status: 200 | 201;
  booking: StoredBooking;
  link: AppointmentLink;
}

const OPERATION = 'FHIR Appointment';

/** /fhir is the regulators' and coordinators' (README, FHIR): the SAS platform's regulation, and the CPTS itself. */
export const SAS_APPOINTMENT_ROLES = ['regulator', 'coordinator'] as const;

/** The idempotency key of an Appointment: its identifier, hashed to fit any system and value. */
export function appointmentIdempotencyKey(identifier: AppointmentIdentifier): string {
  return `fhir:${createHash('sha256').update(identifier.system).update('|').update(identifier.value).digest('hex')}`;
}

function businessRule(slug: string, title: string, detail: string, field: string): ApiProblem {
  return new ApiProblem(422, slug, title, detail, { errors: [{ field, message: detail }] });
}

const sameFacts = (booking: StoredBooking, input: SasAppointment): boolean =>
  new Date(booking.start).getTime() === input.start && new Date(booking.end).getTime() === input.end && booking.rpps === input.rpps;

/** POST /fhir/Appointment: books the professional's slot at that time. Idempotent on the identifier. */
export async function bookSasAppointment(ctx: UseCaseContext, actor: Actor, input: SasAppointment): Promise<SasAppointmentOutcome> {
  const { client } = actor;
  requireRole(client, SAS_APPOINTMENT_ROLES);
  if (input.status !== 'booked') {
    throw businessRule('appointment-status', 'Not bookable', `a new appointment must be booked, not ${input.status}`, 'status');
  }
  const key = appointmentIdempotencyKey(input.identifier);
  const hash = requestHash(OPERATION, { identifier: input.identifier, start: input.start, end: input.end, idnps: input.idnps, slotId: input.slotId, patient: input.patient });

  const known = await knownAppointment(ctx, actor, input, key, hash);
  if (known !== undefined) return known;
  if (input.rpps === undefined) {
    throw businessRule('unknown-practitioner', 'Unknown practitioner', `IDNPS ${input.idnps} is not an RPPS-based identifier: no professional of ours`, 'idnps');
  }
  try {
    return await claim(ctx, actor, input, key, hash);
  } catch (error) {
    if (!(error instanceof ApiProblem)) throw error;
    // A concurrent copy of this very Appointment may have taken the slot: its answer is ours.
    const replay = await knownAppointment(ctx, actor, input, key, hash);
    if (replay !== undefined) return replay;
    throw error;
  }
}

async function claim(ctx: UseCaseContext, actor: Actor, input: SasAppointment, key: string, hash: Buffer): Promise<SasAppointmentOutcome> {
  const claimed = await claimBooking(ctx, actor, {
    target: await slotAt(ctx, actor, input), slotField: 'slotId',
    requestId: null, holdId: null, patient: input.patient, idempotencyKey: key, requestHash: hash,
    auditDetails: (slot) => ({ slotId: slot.id, channel: 'fhir', appointmentIdentifier: input.identifier }),
    replay: () => knownAppointment(ctx, actor, input, key, hash),
  });
  switch (claimed.outcome) {
    case 'booked': return linked(ctx, actor, claimed.body.booking.id, input, 201);
    case 'replayed': return claimed.answer;
    case 'exhausted': throw new ApiProblem(409, 'slot-unavailable', 'Slot unavailable', `slot ${claimed.target.id} could not be taken; try another`);
  }
}

/** PUT /fhir/Appointment?identifier=…: the new status of the appointment with that identifier, or its creation. */
export async function updateSasAppointment(ctx: UseCaseContext, actor: Actor, criterion: { system?: string | undefined; value: string }, input: SasAppointment): Promise<SasAppointmentOutcome> {
  if (input.identifier.value !== criterion.value || (criterion.system !== undefined && criterion.system !== input.identifier.system)) {
    throw businessRule('identifier-mismatch', 'Identifier mismatch', 'Appointment.identifier differs from the identifier of the request URL', 'identifier');
  }
  requireRole(actor.client, SAS_APPOINTMENT_ROLES);
  const link = await findVisibleLink(ctx, actor, input.identifier, input.operator);
  if (link === undefined) {
    // FHIR conditional update without a match creates; only a booked appointment can be created.
    if (input.status === 'booked') return bookSasAppointment(ctx, actor, input);
    throw new ApiProblem(404, 'not-found', 'Not found', `no appointment with identifier ${input.identifier.system}|${input.identifier.value}`);
  }
  const booking = await findVisibleBooking(ctx, actor.client, link.bookingId);
  if (!sameFacts(booking, input)) {
    throw businessRule('appointment-moved', 'Appointment cannot be moved', 'the professional, start and end of an appointment cannot change: cancel it and book again', 'start');
  }
  if (booking.status !== input.status) {
    if (input.status === 'cancelled') await cancelBooking(ctx, actor, booking.id, { reason: 'cancelled through the SAS' });
    else if (input.status === 'honoured' || input.status === 'no-show') await recordOutcome(ctx, actor, booking.id, input.status);
    else throw new ApiProblem(409, 'invalid-transition', 'Invalid transition', `booking ${booking.id} is ${booking.status}; it cannot become ${input.status}`);
    await ctx.sasAppointments.recordOperator(booking.id, input.operator);
  }
  return { status: 200, booking: await findVisibleBooking(ctx, actor.client, booking.id), link: { ...link, operator: input.operator } };
}

/** The booking an identifier names for this client, if any: an earlier POST, its retry, or a replay after the link was lost. */
async function knownAppointment(ctx: UseCaseContext, actor: Actor, input: SasAppointment, key: string, hash: Buffer): Promise<SasAppointmentOutcome | undefined> {
  const replay = await replayIfKnown<BookingResponse>(ctx.idempotency, actor.client.id, key, hash).catch((error: unknown) => {
    if (error instanceof ApiProblem && error.status === 422) {
      throw businessRule('duplicate-identifier', 'Identifier already used', 'this Appointment.identifier already names an appointment with other details', 'identifier');
    }
    throw error;
  });
  if (replay !== undefined) return linked(ctx, actor, replay.body.booking.id, input, 201);
  const link = await ctx.sasAppointments.findLink(actor.client.id, input.identifier);
  if (link === undefined) return undefined;
  // The idempotency record has expired: compare with what is stored (the link is this client's own).
  const booking = await findVisibleBooking(ctx, actor.client, link.bookingId).catch(() => undefined);
  if (booking === undefined || !sameFacts(booking, input)) {
    throw businessRule('duplicate-identifier', 'Identifier already used', 'this Appointment.identifier already names another appointment', 'identifier');
  }
  return { status: 201, booking, link };
}

/** Links the booking to its identifier (again, harmlessly, on a replay) and reads it back. */
async function linked(ctx: UseCaseContext, actor: Actor, bookingId: string, input: SasAppointment, status: 200 | 201): Promise<SasAppointmentOutcome> {
  const link: AppointmentLink = { bookingId, clientId: actor.client.id, identifier: input.identifier, operator: input.operator };
  await ctx.sasAppointments.insertLink(link);
  const booking = await findVisibleBooking(ctx, actor.client, bookingId);
  return { status, booking, link: (await ctx.sasAppointments.findLink(actor.client.id, input.identifier)) ?? link };
}

/**
 * The link of an identifier whose booking this client may see: its own first,
 * else another client's it may see (a coordinator of the territory updating
 * what the SAS booked); repaired from the idempotency record if lost. Another
 * territory's link is as if it did not exist.
 */
async function findVisibleLink(ctx: UseCaseContext, actor: Actor, identifier: AppointmentIdentifier, operator: OperatorIdentifier): Promise<AppointmentLink | undefined> {
  const own = await ctx.sasAppointments.findLink(actor.client.id, identifier);
  let candidates = own !== undefined ? [own] : await ctx.sasAppointments.findLinks(identifier);
  if (candidates.length === 0) {
    const stored = await ctx.idempotency.find(actor.client.id, appointmentIdempotencyKey(identifier));
    const bookingId = (stored?.body as BookingResponse | undefined)?.booking.id;
    if (bookingId === undefined) return undefined;
    const repaired = { bookingId, clientId: actor.client.id, identifier, operator };
    await ctx.sasAppointments.insertLink(repaired);
    candidates = [repaired];
  }
  for (const link of candidates) {
    const visible = await findVisibleBooking(ctx, actor.client, link.bookingId).then(() => true, () => false);
    if (visible) return link;
  }
  return undefined;
}

/** The professional's slot at exactly that start and end, in the client's territories. */
async function slotAt(ctx: UseCaseContext, actor: Actor, input: SasAppointment): Promise<SlotTarget> {
  const id = await ctx.sasAppointments.slotAt({ rpps: input.rpps, start: new Date(input.start), end: new Date(input.end), territories: actor.client.territories });
  if (id === undefined || (input.slotId !== undefined && input.slotId !== id)) {
    throw businessRule('no-such-slot', 'No such slot',
      `professional ${input.rpps} has no slot from ${new Date(input.start).toISOString()} to ${new Date(input.end).toISOString()} in your territories`
      + (input.slotId !== undefined ? ` matching Slot/${input.slotId}` : ''), 'start');
  }
  return findVisibleSlot(ctx, actor.client, id, 'slotId');
}
