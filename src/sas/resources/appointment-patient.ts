// The patient a FrAppointmentSAS may carry as a contained Patient (FrPatient),
// reduced to the minimal data a booking keeps. Never log what this returns.

import { z } from 'zod';
import { plainText } from '../../core/text.js';
import type { Sex } from '../../core/domain.js';
import type { OutcomeIssueInput } from './operation-outcome.js';

export interface PatientSummary {
  sex?: Sex;
  birthDate?: string;
  /** Whole years at the appointment's start, when the birth date is a full date. */
  age?: number;
  family?: string;
  given?: string[];
  /** The first telecom of system "phone": how the professional calls the patient back. */
  phone?: string;
}

const patientSchema = z.object({
  resourceType: z.literal('Patient'),
  id: plainText().optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: plainText().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/).optional(),
  name: z.array(z.object({ family: plainText().optional(), given: z.array(plainText()).optional() })).optional(),
  telecom: z.array(z.object({ system: plainText().optional(), value: plainText().optional() })).optional(),
});

function ageAt(birthDate: string, at: Date): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < mo || (at.getUTCMonth() + 1 === mo && at.getUTCDate() < d)) age -= 1;
  return age >= 0 ? age : undefined;
}

/**
 * The minimal patient data of a contained Patient that a participant names
 * ("#id"); undefined when there is none. A malformed one adds a structure issue.
 */
export function patientOf(
  appointment: { contained?: Array<{ resourceType: string }>; participant: Array<{ actor?: { reference?: string } }> },
  start: Date,
  issues: OutcomeIssueInput[],
): PatientSummary | undefined {
  const refs = appointment.participant
    .map((p) => p.actor?.reference)
    .filter((r): r is string => r !== undefined && r.startsWith('#'));
  for (const [index, contained] of (appointment.contained ?? []).entries()) {
    if (contained.resourceType !== 'Patient') continue;
    const parsed = patientSchema.safeParse(contained);
    if (!parsed.success) {
      // Named down to the offending field (say Appointment.contained[0].name[0].family), never with its value.
      for (const issue of parsed.error.issues) {
        const where = issue.path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), `Appointment.contained[${index}]`);
        issues.push({ code: 'structure', expression: where, diagnostics: `malformed contained Patient: ${issue.message}` });
      }
      return undefined;
    }
    const patient = parsed.data;
    if (patient.id === undefined || !refs.includes(`#${patient.id}`)) continue;
    const name = patient.name?.[0];
    const age = patient.birthDate ? ageAt(patient.birthDate, start) : undefined;
    const phone = patient.telecom?.find((c) => c.system === 'phone' && c.value)?.value;
    return {
      ...(patient.gender ? { sex: patient.gender === 'other' ? 'unknown' : patient.gender } : {}),
      ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
      ...(age !== undefined ? { age } : {}),
      ...(name?.family ? { family: name.family } : {}),
      ...(name?.given ? { given: name.given } : {}),
      ...(phone ? { phone } : {}),
    };
  }
  return undefined;
}
