// FrAppointmentSAS (http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS),
// IG 1.1.0 "CPTS - Gestion de rendez-vous" / CapabilityStatement
// SAS-GestionnaireAgenda-RDVpsindiv; examples Appointment-1 (booked) and
// Appointment-2 (cancelled).
//
// Inbound (POST /fhir/Appointment, PUT /fhir/Appointment?identifier=…):
// parseAppointment turns the body into a booking command. A body that is not a
// FHIR Appointment at all is a 400; one that is but breaks FrAppointmentSAS or
// what we support is a 422 (FHIR R4 http.html: "violated applicable FHIR
// profiles or server business rules").
// Outbound: buildAppointment (appointment-outbound.ts) renders one of our
// bookings for the SAS platform; the conditional-update criterion is parsed in
// appointment-query.ts. Both are re-exported here.
//
// Note: the IG's Appointment carries no Slot reference; it names the
// professional (participant IDNPS) and start/end, which is how a booking is
// found when Appointment.slot is absent.

import { z } from 'zod';
import { plainText } from '../../core/text.js';
import type { BookingStatus } from '../../core/domain.js';
import { patientOf, type PatientSummary } from './appointment-patient.js';
import { BOOKING_STATUS_OF, SAS_APPOINTMENT_STATUSES, type SasAppointmentStatus } from './appointment-status.js';
import { EXTENSION, SYSTEM } from './constants.js';
import { parseFhirInstant } from './instant.js';
import type { OutcomeIssueInput } from './operation-outcome.js';

export * from './appointment-status.js';
export * from './appointment-query.js';
export * from './appointment-outbound.js';
export type { PatientSummary } from './appointment-patient.js';

export interface AppointmentCommand {
  /** Appointment.identifier: the idempotency key and the conditional-update criterion. */
  identifier: { system: string; value: string };
  status: BookingStatus;
  start: Date;
  end: Date;
  /** The booked professional (participant). rpps is set for "8" + 11 digits, not for ADELI ("0" + …). */
  practitioner: { idnps: string; rpps?: string };
  /** From Appointment.slot when the sender gives it. */
  slotId?: string;
  /** The regulator who booked or changed it (FrAppointmentOperator). */
  operator: { type: string; system: string; value: string; rpps?: string };
  patient?: PatientSummary;
}

export type AppointmentParseResult =
  | { ok: true; command: AppointmentCommand }
  | { ok: false; httpStatus: 400 | 422; issues: OutcomeIssueInput[] };

// --- structure: what any FHIR R4 Appointment we read must look like (else 400) ---

const codingSchema = z.object({ system: plainText().optional(), code: plainText().optional() });
const identifierSchema = z.object({
  type: z.object({ coding: z.array(codingSchema).optional() }).optional(),
  system: plainText().optional(),
  value: plainText().optional(),
});
const referenceSchema = z.object({
  reference: plainText().optional(),
  identifier: identifierSchema.optional(),
  display: plainText().optional(),
});
const appointmentSchema = z.object({
  resourceType: z.literal('Appointment'),
  id: plainText().optional(),
  contained: z.array(z.object({ resourceType: plainText() }).loose()).optional(),
  extension: z.array(z.object({ url: plainText(), valueReference: referenceSchema.optional() })).optional(),
  identifier: z.array(identifierSchema).optional(),
  status: plainText(),
  start: plainText().optional(),
  end: plainText().optional(),
  slot: z.array(referenceSchema).optional(),
  participant: z.array(z.object({ actor: referenceSchema.optional(), status: plainText() })).min(1),
});
type ParsedAppointment = z.infer<typeof appointmentSchema>;

function fhirPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), 'Appointment');
}

// --- profile and support rules (else 422) ---

function idOfTypedReference(reference: string, type: string): string | undefined {
  const m = new RegExp(`(?:^|/)${type}/([A-Za-z0-9\\-.]{1,64})$`).exec(reference);
  return m?.[1];
}

function rppsOfIdnps(value: string): string | undefined {
  return /^8\d{11}$/.test(value) ? value.slice(1) : undefined;
}

type Fail = (expression: string, diagnostics: string, code?: OutcomeIssueInput['code']) => void;

/** identifier 1..1, with system and value. */
function readIdentifier(resource: ParsedAppointment, fail: Fail): AppointmentCommand['identifier'] | undefined {
  const [identifier, ...others] = resource.identifier ?? [];
  if (others.length > 0 || !identifier?.system || !identifier.value) {
    fail('Appointment.identifier', 'exactly one identifier with system and value is required', 'required');
    return undefined;
  }
  return { system: identifier.system, value: identifier.value };
}

function readStatus(resource: ParsedAppointment, fail: Fail): SasAppointmentStatus | undefined {
  if ((SAS_APPOINTMENT_STATUSES as readonly string[]).includes(resource.status)) return resource.status as SasAppointmentStatus;
  fail('Appointment.status', `status must be one of ${SAS_APPOINTMENT_STATUSES.join(', ')}`, 'not-supported');
  return undefined;
}

/** start and end 1..1 each, instants, end after start. */
function readPeriod(resource: ParsedAppointment, fail: Fail): { start?: number; end?: number } {
  const start = resource.start === undefined ? undefined : parseFhirInstant(resource.start);
  const end = resource.end === undefined ? undefined : parseFhirInstant(resource.end);
  if (start === undefined) fail('Appointment.start', 'start is required, as an instant with seconds and offset', 'required');
  if (end === undefined) fail('Appointment.end', 'end is required, as an instant with seconds and offset', 'required');
  if (start !== undefined && end !== undefined && end <= start) fail('Appointment.end', 'end must be after start');
  return { start, end };
}

/** The FrAppointmentOperator extension, 1..1: who booked or changed the appointment. */
function readOperator(resource: ParsedAppointment, fail: Fail): AppointmentCommand['operator'] | undefined {
  const operators = (resource.extension ?? [])
    .map((e, index) => ({ e, index }))
    .filter(({ e }) => e.url === EXTENSION.appointmentOperator);
  const [only, ...others] = operators;
  if (!only || others.length > 0) {
    fail('Appointment.extension', `exactly one ${EXTENSION.appointmentOperator} extension is required`, 'required');
    return undefined;
  }
  const id = only.e.valueReference?.identifier;
  const coding = id?.type?.coding;
  const code = coding?.length === 1 && coding[0]?.system === SYSTEM.identifierTypeV2 ? coding[0].code : undefined;
  if (!id?.system || !id.value || !code) {
    fail(`Appointment.extension[${only.index}].valueReference.identifier`,
      `the operator needs an identifier with system, value and one type coding from ${SYSTEM.identifierTypeV2}`, 'required');
    return undefined;
  }
  const rpps = code === 'IDNPS' ? rppsOfIdnps(id.value) : undefined;
  return { type: code, system: id.system, value: id.value, ...(rpps ? { rpps } : {}) };
}

/** The booked professional: the one participant named by IDNPS, accepted. */
function readPractitioner(resource: ParsedAppointment, fail: Fail): AppointmentCommand['practitioner'] | undefined {
  const named = resource.participant
    .map((p, index) => ({ p, index, id: p.actor?.identifier }))
    .filter(({ id }) => id?.system === SYSTEM.idnps);
  const [only, ...others] = named;
  if (!only?.id || others.length > 0) {
    fail('Appointment.participant', `exactly one participant identified by IDNPS (${SYSTEM.idnps}) is required`, 'required');
    return undefined;
  }
  const { p, index, id } = only;
  const coding = id.type?.coding;
  if (coding?.length !== 1 || coding[0]?.system !== SYSTEM.identifierTypeV2 || coding[0].code !== 'IDNPS') {
    fail(`Appointment.participant[${index}].actor.identifier.type`, `type must be ${SYSTEM.identifierTypeV2}#IDNPS`);
  }
  if (p.status !== 'accepted') fail(`Appointment.participant[${index}].status`, 'participant status must be "accepted"');
  if (!id.value) {
    fail(`Appointment.participant[${index}].actor.identifier.value`, 'IDNPS value is required', 'required');
    return undefined;
  }
  const rpps = rppsOfIdnps(id.value);
  return { idnps: id.value, ...(rpps ? { rpps } : {}) };
}

/** Appointment.slot is optional in the IG; at most one, and it must point at a Slot. */
function readSlotId(resource: ParsedAppointment, fail: Fail): string | undefined {
  const slots = resource.slot ?? [];
  if (slots.length > 1) { fail('Appointment.slot', 'at most one slot per appointment', 'not-supported'); return undefined; }
  const reference = slots[0]?.reference;
  if (reference === undefined) return undefined;
  const id = idOfTypedReference(reference, 'Slot');
  if (id === undefined) fail('Appointment.slot[0].reference', 'not a Slot reference');
  return id;
}

export function parseAppointment(body: unknown): AppointmentParseResult {
  const structural = appointmentSchema.safeParse(body);
  if (!structural.success) {
    return {
      ok: false,
      httpStatus: 400,
      issues: structural.error.issues.map((i) => ({ code: 'structure', expression: fhirPath(i.path), diagnostics: i.message })),
    };
  }
  const resource = structural.data;
  const issues: OutcomeIssueInput[] = [];
  const fail: Fail = (expression, diagnostics, code = 'value') => { issues.push({ code, expression, diagnostics }); };

  const identifier = readIdentifier(resource, fail);
  const status = readStatus(resource, fail);
  const { start, end } = readPeriod(resource, fail);
  const operator = readOperator(resource, fail);
  const practitioner = readPractitioner(resource, fail);
  const slotId = readSlotId(resource, fail);
  const patient = start !== undefined ? patientOf(resource, new Date(start), issues) : undefined;

  if (issues.some((i) => i.code === 'structure')) return { ok: false, httpStatus: 400, issues };
  if (issues.length > 0 || !identifier || !status || start === undefined || end === undefined || !operator || !practitioner) {
    return { ok: false, httpStatus: 422, issues };
  }
  return {
    ok: true,
    command: {
      identifier,
      status: BOOKING_STATUS_OF[status],
      start: new Date(start),
      end: new Date(end),
      practitioner,
      ...(slotId !== undefined ? { slotId } : {}),
      operator,
      ...(patient ? { patient } : {}),
    },
  };
}
