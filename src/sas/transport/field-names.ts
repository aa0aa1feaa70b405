// How the FHIR transport names the fields of a SAS appointment (the use
// case's SasAppointment) in its OperationOutcomes: as FHIRPaths in the Appointment.
const APPOINTMENT_PATHS: Record<string, string> = {
  idnps: 'Appointment.participant',
  rpps: 'Appointment.participant',
  slotId: 'Appointment.slot',
};

export function appointmentFieldNames(field: string): string {
  return APPOINTMENT_PATHS[field] ?? (field === '' ? 'Appointment' : `Appointment.${field}`);
}
