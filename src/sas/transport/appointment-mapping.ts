// FrAppointmentSAS ⇄ the SAS appointment use case: the parsed command as the
// use case's input, its outcome as the Appointment we answer with, and its
// refusals as FHIR statuses.
import type { OperatorIdentifier } from '../storage/fhir-appointments.js';
import { buildAppointment, type AppointmentCommand } from '../resources/index.js';
import type { AppointmentOperator } from '../resources/model.js';
import type { Appointment, IssueCode } from '../resources/types.js';
import { patientSchema, type Patient } from '../../usecases/booking-view.js';
import { ApiProblem } from '../../usecases/problem.js';
import type { SasAppointment, SasAppointmentOutcome } from '../../usecases/sas-appointments.js';
import { appointmentFieldNames } from './field-names.js';
import { outcomeOfProblem, FhirError } from './outcome-errors.js';

/** Our minimal patient record, when the contained Patient gives enough to call back; else none. */
function callBackPatient(summary: AppointmentCommand['patient']): Patient | null {
  if (summary === undefined) return null;
  const name = [...(summary.given ?? []), summary.family ?? ''].join(' ').trim();
  const birthYear = summary.birthDate !== undefined ? Number(summary.birthDate.slice(0, 4)) : undefined;
  const parsed = patientSchema.safeParse({
    name, phone: summary.phone,
    ...(summary.age !== undefined ? { age: summary.age } : {}),
    ...(summary.sex !== undefined ? { sex: summary.sex } : {}),
    ...(birthYear !== undefined ? { birthYear } : {}),
  });
  return parsed.success ? parsed.data : null;
}

export function sasAppointmentOf(command: AppointmentCommand): SasAppointment {
  return {
    identifier: command.identifier,
    status: command.status,
    start: command.start.getTime(),
    end: command.end.getTime(),
    idnps: command.practitioner.idnps,
    rpps: command.practitioner.rpps,
    slotId: command.slotId,
    operator: { type: command.operator.type, system: command.operator.system, value: command.operator.value },
    patient: callBackPatient(command.patient),
  };
}

function operatorOf(o: OperatorIdentifier): AppointmentOperator {
  if (o.type === 'IDNPS') return { kind: 'national', idnps: o.value };
  if (o.type === 'IDNST') return { kind: 'structure', idnst: o.value };
  return { kind: 'sas-internal', id: o.value };
}

/** The appointment as it now stands, under the SAS's own identifier; its id is our booking id. */
export function appointmentResource(outcome: SasAppointmentOutcome, appointmentSystem: string): Appointment & { id: string } {
  const { booking, link } = outcome;
  return {
    ...buildAppointment({
      id: booking.id, status: booking.status, start: booking.start, end: booking.end, slotId: booking.slotId,
      professionalRpps: booking.rpps, operator: operatorOf(link.operator), timeZone: booking.timeZone, identifier: link.identifier,
    }, { appointmentIdentifierSystem: appointmentSystem }),
    id: booking.id,
  };
}

/**
 * FHIR statuses of the use cases' refusals. A slot taken by someone else is a
 * 409 Conflict, as on the HTTP API: the request collided with the current
 * state of a shared resource, and another slot may succeed. A transition the
 * booking's state forbids, a reused identifier, or an appointment that names
 * no slot of ours break a business rule: 422 (FHIR R4 http.html).
 */
const STATUS_OF_SLUG: Readonly<Record<string, [number, IssueCode]>> = {
  'slot-unavailable': [409, 'conflict'],
  'invalid-transition': [422, 'business-rule'],
  'too-early': [422, 'business-rule'],
  'idempotency-key-reused': [422, 'duplicate'],
  'duplicate-identifier': [422, 'duplicate'],
};

export async function withFhirRefusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (caught) {
    if (!(caught instanceof ApiProblem)) throw caught;
    const error = caught.withFieldNames(appointmentFieldNames);
    const slug = error.body.type.slice(error.body.type.lastIndexOf(':') + 1);
    const mapped = STATUS_OF_SLUG[slug];
    if (mapped === undefined) throw error;
    const [status, code] = mapped;
    throw new FhirError(status, outcomeOfProblem(error, status, code).issue.map((i) => ({ code: i.code, diagnostics: i.diagnostics ?? '' })));
  }
}
