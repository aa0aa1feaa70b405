// The professional side of a CPTS slot, as the IG's Bundle-ExampleBundleCPTS
// includes it through _include:iterate=Schedule:actor:
// - Schedule (FrScheduleAgregateur): one per professional and site, actors =
//   the Practitioner and the PractitionerRole;
// - Practitioner (FrPractitionerAgregateur): IDNPS identifier "8" + RPPS;
// - PractitionerRole (FrPractitionerRoleExerciceAgregateur) with its site as a
//   contained Location (FrLocationAgregateur), the only form the profile allows.

import { fhirPhone } from './phone.js';
import { PROFILE, SYSTEM } from './constants.js';
import { fhirId, scheduleId } from './ids.js';
import type { ProfessionalInput, SiteInput, TerritoryInput } from './model.js';
import type { Address, Identifier, Location, Practitioner, PractitionerRole, Schedule } from './types.js';

const CONTAINED_LOCATION_ID = 'location';

export function practitionerId(professional: ProfessionalInput): string {
  return fhirId(professional.id);
}

export function idnpsOfRpps(rpps: string): string {
  return `8${rpps}`;
}

export function idnpsIdentifier(rpps: string): Identifier {
  return {
    type: { coding: [{ system: SYSTEM.identifierTypeV2, code: 'IDNPS' }] },
    system: SYSTEM.idnps,
    value: idnpsOfRpps(rpps),
  };
}

export function buildPractitioner(professional: ProfessionalInput): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: practitionerId(professional),
    meta: { profile: [PROFILE.practitioner] },
    identifier: [idnpsIdentifier(professional.rpps)],
    name: [{ family: professional.name.family, given: [...professional.name.given] }],
  };
}

export function buildSchedule(professional: ProfessionalInput, site: SiteInput): Schedule {
  const id = scheduleId(professional.id, site.id);
  return {
    resourceType: 'Schedule',
    id,
    meta: { profile: [PROFILE.schedule] },
    actor: [
      { reference: `Practitioner/${practitionerId(professional)}` },
      { reference: `PractitionerRole/${id}` },
    ],
  };
}

function siteAddress(site: SiteInput): Address {
  if (site.address) {
    const { line, city, postalCode } = site.address;
    return { line: [line], city, postalCode, country: 'FR' };
  }
  // No postal address known: say which commune rather than invent one.
  return { text: `Commune INSEE ${site.commune}`, country: 'FR' };
}

export function buildSiteLocation(site: SiteInput, siteIdentifierSystem: string): Location {
  return {
    resourceType: 'Location',
    id: CONTAINED_LOCATION_ID,
    meta: { profile: [PROFILE.location] },
    identifier: [{
      type: { coding: [{ system: SYSTEM.locationIdentifierType, code: 'INTRN' }] },
      system: siteIdentifierSystem,
      value: site.id,
    }],
    address: siteAddress(site),
    position: { longitude: site.lon, latitude: site.lat },
  };
}

export function buildPractitionerRole(
  professional: ProfessionalInput,
  site: SiteInput,
  territory: TerritoryInput,
  siteIdentifierSystem: string,
): PractitionerRole {
  return {
    resourceType: 'PractitionerRole',
    id: scheduleId(professional.id, site.id),
    meta: { profile: [PROFILE.practitionerRole] },
    contained: [buildSiteLocation(site, siteIdentifierSystem)],
    practitioner: { reference: `Practitioner/${practitionerId(professional)}` },
    // The structure the professional practises for here: the CPTS (IDNST).
    organization: {
      identifier: {
        type: { coding: [{ system: SYSTEM.identifierTypeV2, code: 'IDNST' }] },
        system: SYSTEM.idnst,
        value: territory.organisation.idnst,
      },
      display: territory.name,
    },
    location: [{ reference: `#${CONTAINED_LOCATION_ID}` }],
    ...(professional.phone ? { telecom: [{ system: 'phone' as const, value: fhirPhone(professional.phone) }] } : {}),
  };
}
