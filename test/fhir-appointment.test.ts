// FrAppointmentSAS in and out: the IG's own examples (Appointment-1 booked,
// Appointment-2 cancelled), the profile rules, and the outbound rendering.

import t, { type Test } from 'tap';
import {
  APPOINTMENT_STATUS_OF, BOOKING_STATUS_OF, buildAppointment, criterionMatches, parseAppointment,
  parseAppointmentConditionalQuery, type AppointmentCommand, type AppointmentParseResult,
} from '../src/sas/resources/appointment.js';
import { BOOKING_STATUSES } from '../src/core/domain.js';
import { PROFILE } from '../src/sas/resources/constants.js';
import type { BookingInput } from '../src/sas/resources/model.js';
import { operationOutcome } from '../src/sas/resources/operation-outcome.js';
import { igFile } from './helpers/ig-package.js';

const appointment1 = igFile('example/Appointment-1.json');
const appointment2 = igFile('example/Appointment-2.json');

function command(t: Test, result: AppointmentParseResult): AppointmentCommand {
  if (!result.ok) {
    t.fail(`unexpected issues: ${JSON.stringify(result.issues)}`);
    throw new Error('parse failed');
  }
  return result.command;
}

function failure(result: AppointmentParseResult): { status: number; expressions: string[] } {
  return result.ok ? { status: 200, expressions: [] } : { status: result.httpStatus, expressions: result.issues.map((i) => i.expression ?? '') };
}

const edit = (changes: (a: any) => void): unknown => {
  const copy = structuredClone(appointment1);
  changes(copy);
  return copy;
};

t.test('IG Appointment-1 (booked) becomes a booking command', async (t) => {
  const c = command(t, parseAppointment(appointment1));
  t.same(c.identifier, { system: 'urn:oid:1.1.111.1.11.1.1.1', value: 'b6e39355-8a61-4556-b340-36f7b95fec6a' });
  t.equal(c.status, 'booked');
  t.equal(c.start.toISOString(), '2022-09-04T13:00:00.000Z');
  t.equal(c.end.toISOString(), '2022-09-04T13:15:00.000Z');
  // The IG's sample RPPS fails the Luhn check; the lookup, not the parser, refuses unknown professionals.
  t.same(c.practitioner, { idnps: '810100050075', rpps: '10100050075' });
  t.same(c.operator, { type: 'IDNPS', system: 'urn:oid:1.2.250.1.71.4.2.1', value: '3456780581/11242343' },
    'the regulator, named by FrAppointmentOperator (a non-RPPS national id: no rpps)');
  t.notOk('slotId' in c, 'the IG appointment names no Slot');
  t.notOk('patient' in c);
});

t.test('IG Appointment-2 (cancelled)', async (t) => {
  const c = command(t, parseAppointment(appointment2));
  t.equal(c.status, 'cancelled');
  t.same(c.identifier.value, 'b6e39355-8a61-4556-b340-36f7b95fec6a', 'same identifier: an update of Appointment-1');
});

t.test('the four SAS statuses map onto our booking statuses and back', async (t) => {
  const expected = { booked: 'booked', fulfilled: 'honoured', noshow: 'no-show', cancelled: 'cancelled' } as const;
  for (const [fhir, ours] of Object.entries(expected)) {
    t.equal(command(t, parseAppointment(edit((a) => { a.status = fhir; }))).status, ours, fhir);
  }
  for (const status of BOOKING_STATUSES) t.equal(BOOKING_STATUS_OF[APPOINTMENT_STATUS_OF[status]], status);
  t.same(failure(parseAppointment(edit((a) => { a.status = 'proposed'; }))), { status: 422, expressions: ['Appointment.status'] });
});

t.test('operator, identifier, participant and dates are checked against FrAppointmentSAS (422)', async (t) => {
  const cases: Array<[string, (a: any) => void, string]> = [
    ['no operator', (a) => { delete a.extension; }, 'Appointment.extension'],
    ['operator without type', (a) => { delete a.extension[0].valueReference.identifier.type; }, 'Appointment.extension[0].valueReference.identifier'],
    ['no identifier', (a) => { delete a.identifier; }, 'Appointment.identifier'],
    ['identifier without system', (a) => { delete a.identifier[0].system; }, 'Appointment.identifier'],
    ['two identifiers', (a) => { a.identifier.push({ system: 's', value: 'v' }); }, 'Appointment.identifier'],
    ['no start', (a) => { delete a.start; }, 'Appointment.start'],
    ['start without offset', (a) => { a.start = '2022-09-04T14:00:00'; }, 'Appointment.start'],
    ['impossible date', (a) => { a.start = '2022-02-30T14:00:00+01:00'; }, 'Appointment.start'],
    ['end before start', (a) => { a.end = '2022-09-04T13:59:00+01:00'; }, 'Appointment.end'],
    ['no IDNPS participant', (a) => { a.participant[0].actor.identifier.system = 'urn:oid:1.2.3'; }, 'Appointment.participant'],
    ['participant not accepted', (a) => { a.participant[0].status = 'needs-action'; }, 'Appointment.participant[0].status'],
    ['participant type not IDNPS', (a) => { a.participant[0].actor.identifier.type.coding[0].code = 'RPPS'; },
      'Appointment.participant[0].actor.identifier.type'],
    ['not a Slot reference', (a) => { a.slot = [{ reference: 'Schedule/1' }]; }, 'Appointment.slot[0].reference'],
  ];
  for (const [name, change, expression] of cases) {
    const result = failure(parseAppointment(edit(change)));
    t.equal(result.status, 422, name);
    t.same(result.expressions, [expression], name);
  }
});

t.test('what is not a FHIR Appointment at all is a 400', async (t) => {
  t.equal(failure(parseAppointment('booked')).status, 400);
  t.equal(failure(parseAppointment(null)).status, 400);
  t.same(failure(parseAppointment({ ...appointment1, resourceType: 'Slot' })), { status: 400, expressions: ['Appointment.resourceType'] });
  t.same(failure(parseAppointment(edit((a) => { a.status = 3; }))), { status: 400, expressions: ['Appointment.status'] });
  t.same(failure(parseAppointment(edit((a) => { delete a.participant; }))), { status: 400, expressions: ['Appointment.participant'] });
  t.same(failure(parseAppointment(edit((a) => { a.start = 20220904; }))), { status: 400, expressions: ['Appointment.start'] });
  const empty = parseAppointment({});
  const outcome = operationOutcome(empty.ok ? [] : empty.issues);
  t.ok(outcome.issue.every((i) => i.expression?.[0]?.startsWith('Appointment')), 'issues carry FHIRPath expressions');
});

t.test('optional elements: slot reference, ADELI professional, SAS-internal regulator, patient', async (t) => {
  t.equal(command(t, parseAppointment(edit((a) => { a.slot = [{ reference: 'Slot/abc-1' }]; }))).slotId, 'abc-1');
  t.equal(command(t, parseAppointment(edit((a) => { a.slot = [{ reference: 'https://cpts.example/fhir/Slot/abc-2' }]; }))).slotId, 'abc-2');
  t.same(command(t, parseAppointment(edit((a) => { a.participant[0].actor.identifier.value = '0123456789'; }))).practitioner,
    { idnps: '0123456789' }, 'an ADELI-based IDNPS has no RPPS');
  const internal = command(t, parseAppointment(edit((a) => {
    a.extension[0].valueReference.identifier = {
      type: { coding: [{ system: 'http://interopsante.org/fhir/CodeSystem/fr-v2-0203', code: 'INTRN' }] },
      system: 'urn:oid:1.2.250.1.213.3.6', value: '5c1a9e5e-3b0a-4c55-9d53-8f4f2f1d2a11',
    };
  })));
  t.same(internal.operator, { type: 'INTRN', system: 'urn:oid:1.2.250.1.213.3.6', value: '5c1a9e5e-3b0a-4c55-9d53-8f4f2f1d2a11' });
  const national = command(t, parseAppointment(edit((a) => { a.extension[0].valueReference.identifier.value = '810002909371'; })));
  t.equal(national.operator.rpps, '10002909371', 'a regulating doctor named by 8 + RPPS');
  const withPatient = command(t, parseAppointment(edit((a) => {
    a.contained = [{ resourceType: 'Patient', id: 'p', gender: 'female', birthDate: '1990-09-05', name: [{ family: 'Durand', given: ['Anne'] }] }];
    a.participant.push({ actor: { reference: '#p' }, status: 'accepted' });
  })));
  t.same(withPatient.patient, { sex: 'female', birthDate: '1990-09-05', age: 31, family: 'Durand', given: ['Anne'] });
  const unreferenced = command(t, parseAppointment(edit((a) => { a.contained = [{ resourceType: 'Patient', id: 'p' }]; })));
  t.notOk('patient' in unreferenced, 'a contained Patient no participant names is ignored');
  t.equal(failure(parseAppointment(edit((a) => {
    a.contained = [{ resourceType: 'Patient', id: 'p', gender: 'f' }];
    a.participant.push({ actor: { reference: '#p' }, status: 'accepted' });
  }))).status, 400, 'a malformed contained Patient');
});

t.test('conditional update criterion', async (t) => {
  const q = parseAppointmentConditionalQuery('identifier=urn:oid:1.1.111.1.11.1.1.1|b6e39355-8a61-4556-b340-36f7b95fec6a');
  if (!q.ok) throw new Error(JSON.stringify(q.issues));
  t.same(q.value, { system: 'urn:oid:1.1.111.1.11.1.1.1', value: 'b6e39355-8a61-4556-b340-36f7b95fec6a' });
  const c = command(t, parseAppointment(appointment2));
  t.ok(criterionMatches(q.value, c.identifier));
  t.notOk(criterionMatches({ system: 'urn:other', value: c.identifier.value }, c.identifier));
  t.ok(criterionMatches({ value: c.identifier.value }, c.identifier), 'a criterion without system');
  const ig = parseAppointmentConditionalQuery('Identifier=urn%3Aoid%3A1.1.111.1.11.1.1.1%7Cabc');
  t.same(ig.ok ? ig.value : ig.issues, { system: 'urn:oid:1.1.111.1.11.1.1.1', value: 'abc' }, 'the IG\'s "Identifier=" spelling');
  for (const bad of ['', 'identifier=', 'identifier=a|', 'identifier=s|a,s|b', 'identifier=s|a&identifier=s|b', 'identifier=s|a&status=booked']) {
    const r = parseAppointmentConditionalQuery(bad);
    t.notOk(r.ok, JSON.stringify(bad));
  }
});

const booking: BookingInput = {
  id: '0f9a4a0e-8a45-4f2e-9a1e-6a8f1c2d3e4f', status: 'booked',
  start: new Date('2022-09-04T12:00:00Z'), end: new Date('2022-09-04T12:15:00Z'),
  professionalRpps: '10002909371', slotId: 'slot-1', timeZone: 'Europe/Paris',
  operator: { kind: 'national', idnps: '3456780581/11242343' },
};
const OUR_SYSTEM = 'https://cpts.example/fhir/appointment-id';

t.test('outbound FrAppointmentSAS: the IG example\'s shape, and it parses back', async (t) => {
  const out = buildAppointment(booking, { appointmentIdentifierSystem: OUR_SYSTEM });
  t.same(out.meta?.profile, [PROFILE.appointment]);
  t.same(out.extension, appointment1.extension, 'operator extension as in the IG');
  t.same(out.identifier, [{ system: OUR_SYSTEM, value: booking.id }]);
  t.equal(out.start, '2022-09-04T14:00:00.000+02:00');
  t.equal(out.end, '2022-09-04T14:15:00.000+02:00');
  t.same(out.participant[0]?.actor?.identifier?.type, appointment1.participant[0].actor.identifier.type);
  t.equal(out.participant[0]?.actor?.identifier?.value, '810002909371');
  t.same(out.slot, [{ reference: 'Slot/slot-1' }]);
  const igKeys = Object.keys(appointment1).filter((k) => k !== 'id').sort();
  t.same(Object.keys(out).filter((k) => k !== 'slot').sort(), igKeys, 'same elements as Appointment-1, plus slot');
  const back = command(t, parseAppointment(out));
  t.same([back.status, back.practitioner.rpps, back.slotId, back.operator.value, back.start.getTime()],
    ['booked', '10002909371', 'slot-1', '3456780581/11242343', new Date(booking.start).getTime()]);
});

t.test('outbound statuses, operators and kept identifiers', async (t) => {
  const expected = { booked: 'booked', honoured: 'fulfilled', 'no-show': 'noshow', cancelled: 'cancelled' } as const;
  for (const status of BOOKING_STATUSES) {
    t.equal(buildAppointment({ ...booking, status }, { appointmentIdentifierSystem: OUR_SYSTEM }).status, expected[status]);
  }
  const structure = buildAppointment({ ...booking, operator: { kind: 'structure', idnst: '1950047225' } },
    { appointmentIdentifierSystem: OUR_SYSTEM });
  t.same(structure.extension[0]?.valueReference?.identifier,
    { type: { coding: [{ system: 'http://interopsante.org/fhir/CodeSystem/fr-v2-0203', code: 'IDNST' }] },
      system: 'urn:oid:1.2.250.1.71.4.2.2', value: '1950047225' }, 'the CPTS as operator (pharmacist or coordinator booking)');
  const internal = buildAppointment({ ...booking, operator: { kind: 'sas-internal', id: 'u-1' } }, { appointmentIdentifierSystem: OUR_SYSTEM });
  t.equal(internal.extension[0]?.valueReference?.identifier?.system, 'urn:oid:1.2.250.1.213.3.6');
  const kept = buildAppointment({ ...booking, identifier: { system: 'urn:oid:1.1.111.1.11.1.1.1', value: 'abc' } },
    { appointmentIdentifierSystem: OUR_SYSTEM });
  t.same(kept.identifier, [{ system: 'urn:oid:1.1.111.1.11.1.1.1', value: 'abc' }], 'a SAS-made booking keeps its identifier');
  const reunion = buildAppointment({ ...booking, timeZone: 'Indian/Reunion' }, { appointmentIdentifierSystem: OUR_SYSTEM });
  t.equal(reunion.start, '2022-09-04T16:00:00.000+04:00');
  t.notOk('slot' in buildAppointment({ ...booking, slotId: undefined }, { appointmentIdentifierSystem: OUR_SYSTEM }));
});
