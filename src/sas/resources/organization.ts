// The CPTS as the IG's CPTS flow shows it: an Organization conforming to
// sas-cpts-organization-aggregator (IDNST identifier, "1" + FINESS) and the
// HealthcareService (sas-cpts-healthcareservice-aggregator) that CPTS slots
// reference through the R5 Slot.serviceType extension.
// IG examples: Organization-ExampleOrgaCPTS1, HealthcareService-ExampleHealthcareServiceCPTS1.

import { fhirPhone } from './phone.js';
import { PROFILE, SYSTEM } from './constants.js';
import { fhirId } from './ids.js';
import type { TerritoryInput } from './model.js';
import type { HealthcareService, Organization } from './types.js';

/** The profile's FINESS-invariant: value.matches('^1[0-9]{9}$'). */
const CPTS_IDNST = /^1[0-9]{9}$/;

export function organizationId(territory: TerritoryInput): string {
  return fhirId(territory.id);
}

/** One SNP service per CPTS; it shares the territory id (ids are per resource type). */
export function healthcareServiceId(territory: TerritoryInput): string {
  return fhirId(territory.id);
}

export function buildOrganization(territory: TerritoryInput): Organization {
  const { idnst, phone } = territory.organisation;
  if (!CPTS_IDNST.test(idnst)) {
    throw new RangeError(`territory ${territory.id}: the CPTS IDNST must be "1" + 9 digits (FINESS)`);
  }
  return {
    resourceType: 'Organization',
    id: organizationId(territory),
    meta: { profile: [PROFILE.organization] },
    identifier: [{
      // The IG's CPTS organisation uses the *location* identifier-type code system here.
      type: { coding: [{ system: SYSTEM.locationIdentifierType, code: 'IDNST' }] },
      system: SYSTEM.idnst,
      value: idnst,
    }],
    name: territory.name,
    ...(phone ? { telecom: [{ system: 'phone' as const, value: fhirPhone(phone) }] } : {}),
  };
}

export function buildHealthcareService(territory: TerritoryInput): HealthcareService {
  return {
    resourceType: 'HealthcareService',
    id: healthcareServiceId(territory),
    meta: { profile: [PROFILE.healthcareService] },
    providedBy: { reference: `Organization/${organizationId(territory)}` },
    name: `Soins non programmés - ${territory.name}`,
  };
}
