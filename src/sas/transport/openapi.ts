// How the /fhir operations appear in the OpenAPI document. Documentation only:
// these routes parse and answer by hand (parseAppointment, sendFhir), so nothing
// here validates or serialises; the IG profiles named are the contract.
import { EXTENSION, PROFILE, SAS_IG_URL, SYSTEM } from '../resources/constants.js';

export const FHIR_MEDIA_TYPE = 'application/fhir+json';

type JsonSchema = Record<string, unknown>;

function resource(type: string, description: string, properties: Record<string, JsonSchema> = {}): JsonSchema {
  return { type: 'object', description, required: ['resourceType'], properties: { resourceType: { const: type }, ...properties }, additionalProperties: true };
}

const identifier: JsonSchema = {
  type: 'object',
  properties: {
    type: { type: 'object', properties: { coding: { type: 'array', items: { type: 'object', properties: { system: { type: 'string' }, code: { type: 'string' } } } } } },
    system: { type: 'string' },
    value: { type: 'string' },
  },
};

const instant = { type: 'string', description: 'FHIR instant, with seconds and offset', example: '2026-12-07T14:00:00+01:00' };

/** FrAppointmentSAS as the SAS sends it (IG example Appointment-1). */
export const appointmentBodySchema: JsonSchema = {
  ...resource('Appointment', `FrAppointmentSAS (${PROFILE.appointment}). One identifier (the SAS's, the idempotency key); `
    + `one FrAppointmentOperator extension (the regulator); one participant named by IDNPS (${SYSTEM.idnps}, "8" + RPPS), accepted; `
    + 'start and end of that professional\'s slot; an optional contained Patient with a name and a phone (the call-back record).', {
    extension: { type: 'array', items: { type: 'object', properties: { url: { const: EXTENSION.appointmentOperator }, valueReference: { type: 'object', properties: { identifier } } } } },
    identifier: { type: 'array', minItems: 1, maxItems: 1, items: identifier },
    status: { enum: ['booked', 'cancelled', 'fulfilled', 'noshow'] },
    start: instant,
    end: instant,
    slot: { type: 'array', maxItems: 1, items: { type: 'object', properties: { reference: { type: 'string', example: 'Slot/6c1f0e2a-58b4-4d9e-8f51-0d7b9f5a2e33' } } } },
    participant: { type: 'array', minItems: 1, items: { type: 'object', properties: { actor: { type: 'object', properties: { identifier, reference: { type: 'string' } } }, status: { const: 'accepted' } } } },
    contained: { type: 'array', items: { type: 'object', properties: { resourceType: { const: 'Patient' } } } },
  }),
  required: ['resourceType', 'identifier', 'status', 'start', 'end', 'participant', 'extension'],
};

/** FrPractitionerRegul as the SAS sends it (IG example ExamplePractitionerRegul2). */
export const regulatorBodySchema: JsonSchema = {
  ...resource('Practitioner', `FrPractitionerRegul (${PROFILE.practitionerRegul}): a regulator account. Identifiers IDNPS (${SYSTEM.idnps}, type IDNPS) `
    + `and/or the SAS's internal one (${SYSTEM.sasInternal}, type INTRN), at most one of each; active; one name with one given name; an email.`, {
    identifier: { type: 'array', minItems: 1, items: identifier },
    active: { type: 'boolean' },
    name: { type: 'array', minItems: 1, items: { type: 'object', required: ['family', 'given'], properties: { family: { type: 'string' }, given: { type: 'array', minItems: 1, maxItems: 1, items: { type: 'string' } } } } },
    telecom: { type: 'array', minItems: 1, items: { type: 'object', properties: { system: { const: 'email' }, value: { type: 'string', example: 'jules.marius@example.org' } } } },
  }),
  required: ['resourceType', 'identifier', 'active', 'name', 'telecom'],
};

const operationOutcome = resource('OperationOutcome', 'Every /fhir failure: one issue per problem, `location` or `expression` naming the offending parameter or element', {
  issue: {
    type: 'array', minItems: 1,
    items: { type: 'object', required: ['severity', 'code'], properties: { severity: { type: 'string' }, code: { type: 'string' }, diagnostics: { type: 'string' }, location: { type: 'array', items: { type: 'string' } }, expression: { type: 'array', items: { type: 'string' } } } },
  },
});

const OUTCOME_DESCRIPTIONS: Record<number, string> = {
  400: 'Not understood: malformed JSON, not an Appointment (or a Practitioner), an unknown or malformed search parameter (OperationOutcome naming it)',
  401: 'Missing, malformed, unknown or revoked bearer token',
  403: 'The client\'s role does not allow this',
  404: 'Not found, or not in the client\'s territories',
  406: 'Only FHIR JSON is served: a request for XML (Accept or _format) is refused',
  409: 'The slot was taken by someone else',
  413: 'Body larger than BODY_LIMIT_BYTES',
  415: 'Not application/fhir+json (or application/json)',
  422: 'Breaks the profile (FrAppointmentSAS, FrPractitionerRegul: issue.expression names the element) or a business rule (no slot of that professional at that time, a forbidden transition, an identifier reused with other details or already held by an active regulator account)',
  414: 'A path parameter longer than 100 characters',
  429: 'Rate limit exceeded; see Retry-After',
  431: 'URL or headers too large (refused before routing)',
  503: 'Overloaded or the database is unavailable; see Retry-After',
};

const bundle = resource('Bundle', `searchset Bundle (${PROFILE.bundle})`, { type: { const: 'searchset' }, total: { type: 'integer' }, entry: { type: 'array', items: { type: 'object' } } });
const appointmentAnswer = resource('Appointment', `The booking as a FrAppointmentSAS (${PROFILE.appointment})`);
const regulatorAnswer = resource('Practitioner', `The regulator account as stored (${PROFILE.practitionerRegul})`);

/** The answer of each /fhir operation, by status ("METHOD /fhir/path"). */
const SUCCESSES: Record<string, Record<number, { description: string; schema: JsonSchema }>> = {
  'GET /fhir/metadata': { 200: { description: 'Our CapabilityStatement', schema: resource('CapabilityStatement', `Instantiates ${SAS_IG_URL}/CapabilityStatement/SAS-GestionnaireAgenda-CPTS`) } },
  'GET /fhir/Slot': { 200: { description: 'The free Slots and, per _include, their Schedules, Practitioners, HealthcareServices and Organizations', schema: bundle } },
  'GET /fhir/Slot/{id}': { 200: { description: 'The Slot', schema: resource('Slot', `${PROFILE.slot}`) } },
  'GET /fhir/Schedule/{id}': { 200: { description: 'The Schedule', schema: resource('Schedule', PROFILE.schedule) } },
  'GET /fhir/Schedule': { 200: { description: 'The Schedules of the Practitioners named by actor (one per site)', schema: bundle } },
  'GET /fhir/Practitioner': { 200: { description: 'The Practitioners found (FrPractitionerAgregateur)', schema: bundle } },
  'GET /fhir/Practitioner/{id}': { 200: { description: 'The Practitioner', schema: resource('Practitioner', 'FrPractitionerAgregateur') } },
  'POST /fhir/Appointment': { 201: { description: 'Booked (also the answer to the same Appointment sent again); Location names it', schema: appointmentAnswer } },
  'PUT /fhir/Appointment': {
    200: { description: 'Updated', schema: appointmentAnswer },
    201: { description: 'No appointment with that identifier and status booked: created', schema: appointmentAnswer },
  },
  'POST /fhir/Practitioner': { 201: { description: 'The regulator account, created; Location names it', schema: regulatorAnswer } },
  'PUT /fhir/Practitioner': {
    200: { description: 'The regulator account with that identifier, replaced', schema: regulatorAnswer },
    201: { description: 'No account with that identifier: created', schema: regulatorAnswer },
  },
};

/** Refusals of each /fhir operation itself, beside the server-wide ones (authentication, limits, overload). */
const REFUSALS: Record<string, readonly number[]> = {
  'GET /fhir/Slot': [400, 403],
  'GET /fhir/Slot/{id}': [403, 404],
  'GET /fhir/Schedule/{id}': [403, 404],
  'GET /fhir/Schedule': [400, 403],
  'GET /fhir/Practitioner': [400, 403],
  'GET /fhir/Practitioner/{id}': [403, 404],
  'POST /fhir/Appointment': [400, 403, 409, 422],
  'PUT /fhir/Appointment': [400, 403, 404, 409, 422],
  'POST /fhir/Practitioner': [400, 403, 422],
  'PUT /fhir/Practitioner': [400, 403, 422],
};

export interface FhirOperationDocs {
  requestBody?: { description: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<number, { description: string; content: Record<string, { schema: JsonSchema }> }>;
}

const fhirContent = (schema: JsonSchema) => ({ [FHIR_MEDIA_TYPE]: { schema }, 'application/json': { schema } });

/** The body and answers of one /fhir operation (its OpenAPI path), with the server-wide error statuses given. */
export function fhirOperationDocs(method: string, url: string, serverWideErrors: readonly number[]): FhirOperationDocs {
  const operation = `${method} ${url}`;
  const responses: FhirOperationDocs['responses'] = {};
  for (const [status, answer] of Object.entries(SUCCESSES[operation] ?? {})) {
    responses[Number(status)] = { description: answer.description, content: { [FHIR_MEDIA_TYPE]: { schema: answer.schema } } };
  }
  // Every /fhir route refuses a request for XML (media-types.ts).
  const errorStatuses = [...new Set([...(REFUSALS[operation] ?? []), 406, ...serverWideErrors])].sort((a, b) => a - b);
  for (const status of errorStatuses) {
    responses[status] = { description: OUTCOME_DESCRIPTIONS[status] ?? 'Error', content: { [FHIR_MEDIA_TYPE]: { schema: operationOutcome } } };
  }
  if (url === '/fhir/Appointment') return { requestBody: { description: 'A FrAppointmentSAS', content: fhirContent(appointmentBodySchema) }, responses };
  if (url === '/fhir/Practitioner' && (method === 'POST' || method === 'PUT')) {
    return { requestBody: { description: 'A FrPractitionerRegul', content: fhirContent(regulatorBodySchema) }, responses };
  }
  return { responses };
}
