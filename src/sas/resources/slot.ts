// Slot conforming to the IG profile sas-cpts-slot-aggregator
// (https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-slot-aggregator),
// shaped like the IG example Slot-ExampleSlotCPTS1 ("CPTS - Recherche des créneaux").

import type { Modality, Profession } from '../../core/domain.js';
import { CPTS_ESTABLISHMENT_CATEGORY, EXTENSION, PROFILE, SYSTEM } from './constants.js';
import { fhirId, scheduleId } from './ids.js';
import { epochMs, formatFhirInstant } from './instant.js';
import type { SlotInput, TerritoryInput } from './model.js';
import type { CodeableConcept, Coding, Slot } from './types.js';
import { healthcareServiceId } from './organization.js';

/**
 * TRE_R314 slot type: CPTS alone. The value set allows several (public, pro, SNP, CPTS) and our
 * slots are also for unscheduled care, but the SAS certification kit's multi-CPTS group
 * (cpts_validate_meta) requires every distinct code of a CPTS aggregator Slot to be CPTS, and
 * certification is what connects a CPTS to the SAS: we send the one code every check accepts.
 */
const SLOT_SECURITY: readonly Coding[] = [
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

/** The CPTS a slot is offered in, each once, its own territory first. */
export function servicesOf(slot: SlotInput): readonly TerritoryInput[] {
  const services = slot.services ?? [slot.territory];
  return services.filter((s, i) => services.findIndex((o) => o.id === s.id) === i);
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
      // Slice referencecpts (0..*): "a CPTS slot", one per CPTS the slot is offered in,
      // each pointing at that CPTS's HealthcareService (the kit's multiple_cpts group).
      ...servicesOf(slot).map((service) => ({
        extension: [{
          url: EXTENSION.slotServiceTypeReference,
          valueReference: { reference: `HealthcareService/${healthcareServiceId(service)}` },
        }],
        coding: [{ system: SYSTEM.establishmentCategory, code: CPTS_ESTABLISHMENT_CATEGORY }],
      })),
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
