// Our CapabilityStatement (GET /fhir/metadata). It instantiates the IG's
// SAS-GestionnaireAgenda-CPTS (Slot search and read, the four _include values)
// and SAS-GestionnaireAgenda-RDVpsindiv (FrAppointmentSAS create and
// conditional update, shared by the PS-indiv and CPTS flows: the IG 1.1.0 has
// no CPTS-specific appointment statement), and lists exactly what we serve:
// all SAS-GestionnaireAgenda-CPTS lists (Slot, Schedule and Practitioner read
// and search-type), and the Appointment interactions; and SAS-GestionnaireStructure
// (Practitioner create and update with FrPractitionerRegul: the regulator accounts). The search parameters come from
// the declarations the parsers check queries against (search-declaration.ts):
// what we accept is what we declare.

import { APPOINTMENT_CRITERION_DECLARATIONS } from './appointment-query.js';
import { CAPABILITY, FHIR_VERSION, PROFILE, SAS_IG_URL } from './constants.js';
import { PRACTITIONER_SEARCH_DECLARATIONS } from './practitioner-search-params.js';
import { SCHEDULE_SEARCH_DECLARATIONS } from './schedule-search-params.js';
import { capabilitySearchIncludes, capabilitySearchParams } from './search-declaration.js';
import { SLOT_SEARCH_DECLARATIONS } from './slot-search-params.js';

export interface CapabilityStatementOptions {
  /** Our FHIR base, e.g. "https://cpts.example/fhir". */
  baseUrl: string;
  softwareName: string;
  softwareVersion: string;
  /** When this statement was last changed (e.g. the release date), ISO 8601. */
  date: string;
}

export interface CapabilityStatement {
  resourceType: 'CapabilityStatement';
  [element: string]: unknown;
}

const interactions = (...codes: string[]) => codes.map((code) => ({ code }));

export function buildCapabilityStatement(options: CapabilityStatementOptions): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date,
    publisher: options.softwareName,
    kind: 'instance',
    instantiates: [CAPABILITY.agendaCpts, CAPABILITY.appointments, CAPABILITY.structure],
    software: { name: options.softwareName, version: options.softwareVersion },
    implementation: {
      description: 'CPTS agenda manager for unscheduled care (SNP), serving the SAS platform',
      url: options.baseUrl,
    },
    fhirVersion: FHIR_VERSION,
    format: ['application/fhir+json', 'json'],
    implementationGuide: [SAS_IG_URL],
    rest: [{
      mode: 'server',
      documentation: 'Créneaux SNP de la CPTS pour la plateforme SAS; réception des rendez-vous (FrAppointmentSAS).',
      security: {
        cors: false,
        description: 'Authorization: Bearer <token> on every request but GET /metadata (public, as FHIR clients expect); '
          + 'errors are OperationOutcome resources.',
      },
      resource: [
        {
          type: 'Slot',
          profile: PROFILE.slot,
          interaction: interactions('read', 'search-type'),
          searchInclude: capabilitySearchIncludes(SLOT_SEARCH_DECLARATIONS),
          searchParam: capabilitySearchParams(SLOT_SEARCH_DECLARATIONS),
        },
        {
          type: 'Schedule',
          profile: PROFILE.schedule,
          interaction: interactions('read', 'search-type'),
          searchParam: capabilitySearchParams(SCHEDULE_SEARCH_DECLARATIONS),
        },
        {
          type: 'Practitioner',
          profile: PROFILE.practitioner,
          // Flux v1: the SAS creates and updates its regulators' accounts (FrPractitionerRegul).
          supportedProfile: [PROFILE.practitionerRegul],
          documentation: 'read and search: the CPTS\'s professionals (FrPractitionerAgregateur). create and conditional update '
            + '(PUT ?identifier=<system>|<value>, IDNPS or urn:oid:1.2.250.1.213.3.6): the SAS\'s regulator accounts '
            + '(FrPractitionerRegul), regulator clients only; an update that matches no account creates it (201). '
            + 'Refusals: 400 (not a Practitioner), 422 (breaks the profile, or an identifier of an active account), with an OperationOutcome.',
          interaction: interactions('read', 'search-type', 'create', 'update'),
          updateCreate: true,
          conditionalUpdate: true,
          searchParam: capabilitySearchParams(PRACTITIONER_SEARCH_DECLARATIONS),
        },
        {
          type: 'Appointment',
          profile: PROFILE.appointment,
          documentation: 'POST creates (201 + Location). PUT ?identifier=<system>|<value> updates the appointment '
            + 'with that identifier (statuses booked, fulfilled, noshow, cancelled), or creates it when none matches. '
            + 'The Appointment.identifier is the idempotency key: the same Appointment sent again gets the same answer. '
            + 'A slot already taken by someone else is a 409; other refusals by a business rule (no slot of that '
            + 'practitioner at that start and end, a transition the booking forbids, an identifier reused with other '
            + 'details) are 422; each with an OperationOutcome.',
          interaction: interactions('create', 'update'),
          versioning: 'no-version',
          updateCreate: false,
          conditionalCreate: false,
          conditionalUpdate: true,
          searchParam: capabilitySearchParams(APPOINTMENT_CRITERION_DECLARATIONS),
        },
      ],
    }],
  };
}
