// Canonical URLs, code systems and OIDs of the ANS IG "Service d'Accès aux Soins"
// (ans.fhir.fr.sas 1.1.0, FHIR 4.0.1) that the CPTS flow relies on. They are
// copied from the IG package's computable artifacts (StructureDefinitions,
// ValueSets, examples), not from its narrative pages, which contain typos
// (e.g. a TRE_R66 system without "/FHIR/").
//
// The IG itself mixes two canonical bases ("http://sas.fr/fhir/..." and
// "https://interop.esante.gouv.fr/ig/fhir/sas/..."); the profiles below are
// spelled exactly as the IG declares them, inconsistencies included.

const IG = 'https://interop.esante.gouv.fr/ig/fhir/sas';

export const SAS_IG_URL = IG;
export const SAS_IG_VERSION = '1.1.0';
export const FHIR_VERSION = '4.0.1';

export const PROFILE = {
  bundle: `${IG}/StructureDefinition/sas-cpts-bundle-aggregator`,
  slot: `${IG}/StructureDefinition/sas-cpts-slot-aggregator`,
  schedule: 'http://sas.fr/fhir/StructureDefinition/FrScheduleAgregateur',
  practitioner: 'http://sas.fr/fhir/StructureDefinition/FrPractitionerAgregateur',
  practitionerRole: 'http://sas.fr/fhir/StructureDefinition/FrPractitionerRoleExerciceAgregateur',
  location: 'http://sas.fr/fhir/StructureDefinition/FrLocationAgregateur',
  healthcareService: `${IG}/StructureDefinition/sas-cpts-healthcareservice-aggregator`,
  organization: `${IG}/StructureDefinition/sas-cpts-organization-aggregator`,
  appointment: 'http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS',
  /** Regulator accounts the SAS creates and updates (flux v1). */
  practitionerRegul: `${IG}/StructureDefinition/FrPractitionerRegul`,
} as const;

export const CAPABILITY = {
  /** Slot/Schedule/Practitioner server side of the CPTS flow. */
  agendaCpts: `${IG}/CapabilityStatement/SAS-GestionnaireAgenda-CPTS`,
  /** Appointment create + conditional update (FrAppointmentSAS is shared by PS indiv and CPTS). */
  appointments: `${IG}/CapabilityStatement/SAS-GestionnaireAgenda-RDVpsindiv`,
  /** Practitioner create + update with FrPractitionerRegul: the regulator accounts of flux v1. */
  structure: `${IG}/CapabilityStatement/SAS-GestionnaireStructure`,
} as const;

export const SEARCH_PARAMETER = {
  slotStart: `${IG}/SearchParameter/slot-sp-start`,
  slotServiceTypeReference: `${IG}/SearchParameter/cptsslot-sp-servicetype`,
} as const;

export const SYSTEM = {
  /** IDNPS: national identifier of a health professional ("8" + RPPS, "0" + ADELI…). */
  idnps: 'urn:oid:1.2.250.1.71.4.2.1',
  /** IDNST: national identifier of a structure ("1" + FINESS, "3" + SIRET…). */
  idnst: 'urn:oid:1.2.250.1.71.4.2.2',
  /** Technical ids the SAS gives regulators without a national identifier. */
  sasInternal: 'urn:oid:1.2.250.1.213.3.6',
  identifierTypeV2: 'http://interopsante.org/fhir/CodeSystem/fr-v2-0203',
  locationIdentifierType: 'http://interopsante.org/fhir/CodeSystem/fr-location-identifier-type',
  slotType: 'https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  establishmentCategory: 'https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement',
  ordinalSpecialty: 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale',
  appointmentReason: 'http://terminology.hl7.org/CodeSystem/v2-0276',
} as const;

export const EXTENSION = {
  /** R5 Slot.serviceType backported: a Reference to the CPTS HealthcareService. */
  slotServiceTypeReference: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Slot.serviceType',
  appointmentOperator: 'http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator',
} as const;

/** TRE_R66 code of a CPTS (value set sas-valueset-categorieetablissement). */
export const CPTS_ESTABLISHMENT_CATEGORY = '604';

/** The four _include values of SAS-GestionnaireAgenda-CPTS, in the order the SAS sends them. */
export const SLOT_INCLUDES = [
  'Slot:schedule',
  'Schedule:actor',
  'Slot:service-type-reference',
  'HealthcareService:organization',
] as const;
export type SlotInclude = (typeof SLOT_INCLUDES)[number];

/** The IG allows 1..25 practitioner identifiers per Slot search. */
export const MAX_PRACTITIONERS_PER_SEARCH = 25;
