// One of our bookings as a FrAppointmentSAS (http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS)
// for the SAS platform, shaped like the IG examples Appointment-1 / Appointment-2:
// operator extension, our identifier (IG "ID 1/2": editor id + editor system),
// status, start/end in the territory's offset, the professional by IDNPS, accepted.

import { APPOINTMENT_STATUS_OF } from './appointment-status.js';
import { EXTENSION, PROFILE, SYSTEM } from './constants.js';
import { formatFhirInstant } from './instant.js';
import type { AppointmentOperator, BookingInput } from './model.js';
import { idnpsIdentifier } from './practitioner.js';
import type { Appointment, FhirAppointmentStatus, Identifier } from './types.js';

function operatorIdentifier(operator: AppointmentOperator): Identifier {
  const typed = (code: string, system: string, value: string): Identifier => ({
    type: { coding: [{ system: SYSTEM.identifierTypeV2, code }] }, system, value,
  });
  switch (operator.kind) {
    case 'national': return typed('IDNPS', SYSTEM.idnps, operator.idnps);
    case 'sas-internal': return typed('INTRN', SYSTEM.sasInternal, operator.id);
    case 'structure': return typed('IDNST', SYSTEM.idnst, operator.idnst);
  }
}

export interface OutboundAppointmentOptions {
  /** Our Appointment.identifier system: the editor's OID or URL (IG "ID 2"). */
  appointmentIdentifierSystem: string;
}

export function buildAppointment(booking: BookingInput, options: OutboundAppointmentOptions): Appointment {
  const identifier = booking.identifier ?? { system: options.appointmentIdentifierSystem, value: booking.id };
  const status: FhirAppointmentStatus = APPOINTMENT_STATUS_OF[booking.status];
  return {
    resourceType: 'Appointment',
    meta: { profile: [PROFILE.appointment] },
    extension: [{ url: EXTENSION.appointmentOperator, valueReference: { identifier: operatorIdentifier(booking.operator) } }],
    identifier: [{ system: identifier.system, value: identifier.value }],
    status,
    start: formatFhirInstant(booking.start, booking.timeZone),
    end: formatFhirInstant(booking.end, booking.timeZone),
    ...(booking.slotId !== undefined ? { slot: [{ reference: `Slot/${booking.slotId}` }] } : {}),
    participant: [{ actor: { identifier: idnpsIdentifier(booking.professionalRpps) }, status: 'accepted' }],
  };
}
