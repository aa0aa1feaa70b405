// Slot conforming to the IG profile sas-cpts-slot-aggregator
// (https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-slot-aggregator),
// shaped like the IG example Slot-ExampleSlotCPTS1 ("CPTS - Recherche des créneaux").

import type { Modality, Profession } from '../../core/domain.js';
import { CPTS_ESTABLISHMENT_CATEGORY, EXTENSION, PROFILE, SYSTEM } from './constants.js';
import { fhirId, scheduleId } from './ids.js';
import { epochMs, formatFhirInstant } from './instant.js';
import type { SlotInput } from './model.js';
import type { CodeableConcept, Coding, Slot } from './types.js';
import { healthcareServiceId } from './organization.js';

/** TRE_R314 slot types: our slots are for SNP regulators/organisers and for the CPTS, not the public. */
const SLOT_SECURITY: readonly Coding[] = [
  { system: SYSTEM.slotType, code: 'SNP' },
  { system: SYSTEM.slotType, code: 'CPTS' },
];

/** v3 ActCode consultation types the SAS reads (sas-valueset-typeconsultation). */
export const CONSULTATION_TYPE: Readonly<Record<Modality, 'AMB' | 'HH' | 'VR'>> = {
  office: 'AMB',
  home: 'HH',
  video: 'VR',
};

/**
 * Slot.specialty is bound (required) to fr-practitioner-specialty, i.e. TRE_R38
 * ordinal specialties: only doctors (SM…), specialised dentists (SCD…) and
 * specialised nurses (SI…) have one. Other professions get no specialty rather
 * than a code the profile would reject; the SAS knows their profession from
 * the RPPS directory anyway.
 */
export const ORDINAL_SPECIALTY: Readonly<Record<Profession, string | undefined>> = {
  gp: 'SM54', // Médecine générale (SM), as in the IG examples
  paediatrician: 'SM40', // Pédiatrie (SM)
  nurse: undefined,
  physio: undefined,
  pharmacist: undefined,
  midwife: undefined,
  dentist: undefined,
};

function specialtyOf(profession: Profession): CodeableConcept[] | undefined {
  const code = ORDINAL_SPECIALTY[profession];
  return code === undefined ? undefined : [{ coding: [{ system: SYSTEM.ordinalSpecialty, code }] }];
}

export function buildSlot(slot: SlotInput): Slot {
  if (epochMs(slot.end) <= epochMs(slot.start)) {
    throw new RangeError(`slot ${slot.id}: end must be after start`);
  }
  const { professional, site, territory } = slot;
  const specialty = specialtyOf(professional.profession);
  return {
    resourceType: 'Slot',
    id: fhirId(slot.id),
    meta: { profile: [PROFILE.slot], security: SLOT_SECURITY.map((c) => ({ ...c })) },
    serviceType: [
      // Slice TypeConsultation: where the consultation happens.
      { coding: [{ system: SYSTEM.actCode, code: CONSULTATION_TYPE[slot.modality] }] },
      // Slice referencecpts: "a CPTS slot", pointing at the CPTS HealthcareService.
      {
        extension: [{
          url: EXTENSION.slotServiceTypeReference,
          valueReference: { reference: `HealthcareService/${healthcareServiceId(territory)}` },
        }],
        coding: [{ system: SYSTEM.establishmentCategory, code: CPTS_ESTABLISHMENT_CATEGORY }],
      },
    ],
    ...(specialty ? { specialty } : {}),
    appointmentType: { coding: [{ system: SYSTEM.appointmentReason, code: 'ROUTINE' }] },
    schedule: { reference: `Schedule/${scheduleId(professional.id, site.id)}` },
    status: 'free',
    start: formatFhirInstant(slot.start, territory.timeZone),
    end: formatFhirInstant(slot.end, territory.timeZone),
    ...(slot.bookingUrl !== undefined ? { comment: slot.bookingUrl } : {}),
  };
}
