// POST /fhir/Appointment and PUT /fhir/Appointment?identifier=… over real HTTP
// on a real service and PostgreSQL: create, replay, update, cancel, the
// business-rule refusals, and the race with POST /v1/bookings (issue 7).
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import pino from 'pino';
import t, { type Test } from 'tap';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/schema.js';
import { EXTENSION, SYSTEM } from '../src/sas/resources/constants.js';
import { formatFhirInstant } from '../src/sas/resources/instant.js';
import { loggerOptions } from '../src/logging.js';
import { startService } from '../src/service.js';
import { migratedDatabase } from './helpers/database.js';
import { assertValidFhir } from './helpers/fhir.js';
import { addSlots, soon, tokenFor, world, type ProfessionalFixture } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

const MINUTE = 60_000;
const SAS = 'urn:oid:1.2.250.1.213.1.6.4.2'; // the SAS's own identifier system, as it would send it
const FHIR_JSON = { 'content-type': 'application/fhir+json' };
const idnpsType = { coding: [{ system: SYSTEM.identifierTypeV2, code: 'IDNPS' }] };

interface AppointmentSpec {
  value: string; rpps: string; start: number; end: number;
  status?: string; idnps?: string; patient?: Record<string, unknown>; operator?: boolean;
}

/** A FrAppointmentSAS as the SAS sends it (IG example Appointment-1), optionally with a contained Patient. */
function appointment(a: AppointmentSpec): Record<string, unknown> {
  return {
    resourceType: 'Appointment',
    meta: { profile: ['http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS'] },
    ...(a.operator === false ? {} : {
      extension: [{ url: EXTENSION.appointmentOperator, valueReference: { identifier: { type: idnpsType, system: SYSTEM.idnps, value: '810100050075' } } }],
    }),
    ...(a.patient ? { contained: [{ resourceType: 'Patient', id: 'p', ...a.patient }] } : {}),
    identifier: [{ system: SAS, value: a.value }],
    status: a.status ?? 'booked',
    start: formatFhirInstant(a.start, 'Europe/Paris'),
    end: formatFhirInstant(a.end, 'Europe/Paris'),
    participant: [
      { actor: { identifier: { type: idnpsType, system: SYSTEM.idnps, value: a.idnps ?? `8${a.rpps}` } }, status: 'accepted' },
      ...(a.patient ? [{ actor: { reference: '#p' }, status: 'accepted' }] : []),
    ],
  };
}

const put = (value: string) => `/fhir/Appointment?identifier=${encodeURIComponent(`${SAS}|${value}`)}`;

async function setup(t: Test, slots = 6) {
  const database = await migratedDatabase(t, 10);
  const w = await world(database.db, { prosPerTerritory: 1 });
  await sql`update territories set organisation_identifier = '1690000010'`.execute(database.db);
  const pro = w.a.pros[0]!;
  const start = soon(120);
  const ids = await addSlots(database.db, pro, { start, count: slots });
  return { database, db: database.db, pro, start, ids, slot: (i: number) => ({ id: ids[i]!, start: start + i * 20 * MINUTE, end: start + (i + 1) * 20 * MINUTE }) };
}

const statusOf = async (db: Kysely<Database>, slotId: string) =>
  (await db.selectFrom('slots').select('status').where('id', '=', slotId).executeTakeFirstOrThrow()).status;
const deliveries = async (db: Kysely<Database>, bookingId: string) =>
  (await sql<{ state: string; status: string }>`select state, status from sas_deliveries where booking_id = ${bookingId} order by event_id`.execute(db)).rows;

t.test('create, replay, cancel: the booking follows the Appointment, atomically and idempotently', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.database.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const first = s.slot(0);
  const body = appointment({ value: 'appt-1', rpps: s.pro.rpps, ...first, patient: { name: [{ family: 'Durand', given: ['Léa'] }], gender: 'female', birthDate: '1990-04-02', telecom: [{ system: 'phone', value: '+33 6 11 22 33 44' }] } });

  const created = await http(service, 'POST', '/fhir/Appointment', { token, body, headers: FHIR_JSON });
  t.equal(created.status, 201, 'created');
  const id = created.json.id;
  t.equal(created.headers.get('location'), `${service.url}/fhir/Appointment/${id}`, 'Location names the new appointment');
  t.match(created.headers.get('content-type'), /^application\/fhir\+json/);
  t.same(created.json.identifier, [{ system: SAS, value: 'appt-1' }], 'answered under the SAS\'s identifier');
  t.equal(created.json.status, 'booked');
  t.equal(created.json.start, body.start);
  t.same(created.json.participant[0].actor.identifier.value, `8${s.pro.rpps}`);
  t.same(created.json.slot, [{ reference: `Slot/${first.id}` }], 'our slot is named');
  assertValidFhir(t, created.json, 'the created Appointment');

  const booking = await s.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  t.equal(booking.slot_id, first.id, 'the slot at that start and end was booked');
  t.equal(booking.status, 'booked');
  t.same(booking.patient, { name: 'Léa Durand', phone: '+33 6 11 22 33 44', age: Number(booking.patient && (booking.patient as any).age), sex: 'female', birthYear: 1990 }, 'the call-back patient record');
  t.equal(await statusOf(s.db, first.id), 'booked');
  const event = await s.db.selectFrom('events').select(['type', 'recipient_kind']).where('booking_id', '=', id).execute();
  t.same(event.map((e) => e.type), ['booking.created'], 'the professional is told, as for any booking');
  t.same(await deliveries(s.db, id), [{ state: 'booked', status: 'skipped' }], 'the SAS is not told back what it did');

  const replay = await http(service, 'POST', '/fhir/Appointment', { token, body, headers: FHIR_JSON });
  t.equal(replay.status, 201, 'a retry answers like the first time');
  t.equal(replay.json.id, id, 'with the same booking');
  t.equal((await s.db.selectFrom('bookings').select('id').execute()).length, 1, 'and books nothing more');

  const moved = await http(service, 'POST', '/fhir/Appointment', { token, body: appointment({ value: 'appt-1', rpps: s.pro.rpps, ...s.slot(1) }), headers: FHIR_JSON });
  t.equal(moved.status, 422, 'the same identifier for another time: 422');
  t.equal(moved.json.issue[0].code, 'duplicate');
  t.equal(await statusOf(s.db, s.slot(1).id), 'free', 'and nothing was booked');

  const cancel = await http(service, 'PUT', put('appt-1'), { token, body: { ...body, status: 'cancelled' }, headers: FHIR_JSON });
  t.equal(cancel.status, 200, 'cancelled');
  t.equal(cancel.json.status, 'cancelled');
  t.equal(cancel.json.id, id);
  assertValidFhir(t, cancel.json, 'the cancelled Appointment');
  t.equal(await statusOf(s.db, first.id), 'free', 'the slot is free again');
  await service.sync.catchUp();
  t.ok(service.index.get(first.id), 'and matchable again');
  t.same(await deliveries(s.db, id), [{ state: 'booked', status: 'skipped' }, { state: 'cancelled', status: 'skipped' }]);
  const again = await http(service, 'PUT', put('appt-1'), { token, body: { ...body, status: 'cancelled' }, headers: FHIR_JSON });
  t.equal(again.status, 200, 'cancelling twice is harmless');
  const rebook = await http(service, 'PUT', put('appt-1'), { token, body, headers: FHIR_JSON });
  t.equal(rebook.status, 422, 'a cancelled appointment cannot be booked again');
  t.equal(rebook.json.issue[0].code, 'business-rule');

  // Conditional update of an identifier nobody used: created when booked, 404 otherwise.
  const second = s.slot(2);
  const upsert = await http(service, 'PUT', put('appt-2'), { token, body: appointment({ value: 'appt-2', rpps: s.pro.rpps, ...second }), headers: FHIR_JSON });
  t.equal(upsert.status, 201, 'PUT without a match creates');
  t.ok(upsert.headers.get('location'));
  t.equal(await statusOf(s.db, second.id), 'booked');
  t.same(await s.db.selectFrom('bookings').select('patient').where('id', '=', upsert.json.id).executeTakeFirstOrThrow(), { patient: null }, 'no patient sent, none kept');
  const ghost = await http(service, 'PUT', put('appt-3'), { token, body: appointment({ value: 'appt-3', rpps: s.pro.rpps, ...s.slot(3), status: 'cancelled' }), headers: FHIR_JSON });
  t.equal(ghost.status, 404, 'cancelling an unknown appointment: 404');
  t.equal(ghost.json.resourceType, 'OperationOutcome');
  const mismatch = await http(service, 'PUT', put('appt-2'), { token, body: appointment({ value: 'other', rpps: s.pro.rpps, ...second }), headers: FHIR_JSON });
  t.equal(mismatch.status, 422, 'the body\'s identifier must be the URL\'s');
  const noCriterion = await http(service, 'PUT', '/fhir/Appointment', { token, body: appointment({ value: 'appt-2', rpps: s.pro.rpps, ...second }), headers: FHIR_JSON });
  t.equal(noCriterion.status, 400, 'no ?identifier: 400');
  t.ok(noCriterion.json.issue.some((i: any) => i.location?.includes('http.identifier')), 'naming the parameter');

  // Another regulator cannot reach the SAS's appointment.
  const stranger = await tokenFor(s.db, 'regulator', ['terr-a']);
  const foreign = await http(service, 'PUT', put('appt-2'), { token: stranger.token, body: { ...appointment({ value: 'appt-2', rpps: s.pro.rpps, ...second }), status: 'cancelled' }, headers: FHIR_JSON });
  t.equal(foreign.status, 404, 'another client\'s appointment is not found');
  t.equal(await statusOf(s.db, second.id), 'booked', 'and stays booked');
});

t.test('refusals: no such slot, not one of our professionals, not a booking, not FrAppointmentSAS, not an Appointment', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.database.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const slot = s.slot(0);
  const cases: Array<[string, Record<string, unknown>, number, string]> = [
    ['a time with no slot', appointment({ value: 'r1', rpps: s.pro.rpps, start: slot.start + 5 * MINUTE, end: slot.end + 5 * MINUTE }), 422, 'business-rule'],
    ['an ADELI practitioner', appointment({ value: 'r2', rpps: s.pro.rpps, ...slot, idnps: '0691234567' }), 422, 'business-rule'],
    ['a new appointment that is not booked', appointment({ value: 'r3', rpps: s.pro.rpps, ...slot, status: 'cancelled' }), 422, 'business-rule'],
    ['no operator extension', appointment({ value: 'r4', rpps: s.pro.rpps, ...slot, operator: false }), 422, 'required'],
    ['an unsupported status', appointment({ value: 'r5', rpps: s.pro.rpps, ...slot, status: 'pending' }), 422, 'not-supported'],
    ['no participant', { ...appointment({ value: 'r6', rpps: s.pro.rpps, ...slot }), participant: [] }, 400, 'structure'],
    ['another resource', { resourceType: 'Patient' }, 400, 'structure'],
  ];
  for (const [label, body, status, code] of cases) {
    const res = await http(service, 'POST', '/fhir/Appointment', { token, body, headers: FHIR_JSON });
    t.equal(res.status, status, `${label}: ${status}`);
    t.equal(res.json.resourceType, 'OperationOutcome', `${label}: OperationOutcome`);
    t.equal(res.json.issue[0].code, code, `${label}: ${code}`);
  }
  t.equal(await statusOf(s.db, slot.id), 'free', 'nothing was booked');
  const pharmacist = await tokenFor(s.db, 'pharmacist', ['terr-a']);
  const b = await tokenFor(s.db, 'regulator', ['terr-b']);
  const outOfScope = await http(service, 'POST', '/fhir/Appointment', { token: b.token, body: appointment({ value: 'r7', rpps: s.pro.rpps, ...slot }), headers: FHIR_JSON });
  t.equal(outOfScope.status, 422, 'a slot outside the client\'s territories is no slot of its');
  // /fhir is the regulators' and coordinators' (README; issue 15): a pharmacist books over /v1 only.
  const refused = await http(service, 'POST', '/fhir/Appointment', { token: pharmacist.token, body: appointment({ value: 'r8', rpps: s.pro.rpps, ...slot }), headers: FHIR_JSON });
  t.equal(refused.status, 403, 'a pharmacist cannot book over FHIR');
  t.equal(refused.json.issue[0].code, 'forbidden');
  const coordinator = await tokenFor(s.db, 'coordinator', ['terr-a']);
  const allowed = await http(service, 'POST', '/fhir/Appointment', { token: coordinator.token, body: appointment({ value: 'r8', rpps: s.pro.rpps, ...slot }), headers: FHIR_JSON });
  t.equal(allowed.status, 201, 'a coordinator may');
});

t.test('identifiers are scoped per client: another client can neither block nor detect one (issue 15)', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.database.url);
  const regA = await tokenFor(s.db, 'regulator', ['terr-a']);
  const regA2 = await tokenFor(s.db, 'regulator', ['terr-a']);
  const regB = await tokenFor(s.db, 'regulator', ['terr-b']);
  const coordA = await tokenFor(s.db, 'coordinator', ['terr-a']);
  const first = await http(service, 'POST', '/fhir/Appointment', { token: regA.token, body: appointment({ value: 'shared-1', rpps: s.pro.rpps, ...s.slot(0) }), headers: FHIR_JSON });
  t.equal(first.status, 201);
  // Another client of the same territory reuses the identifier for another slot: its own appointment, not a 422.
  const second = await http(service, 'POST', '/fhir/Appointment', { token: regA2.token, body: appointment({ value: 'shared-1', rpps: s.pro.rpps, ...s.slot(1) }), headers: FHIR_JSON });
  t.equal(second.status, 201, 'the same identifier from another client is another appointment');
  t.not(second.json.id, first.json.id);
  // Another territory's client: its PUT does not find (nor reveal) regA's appointment.
  const probe = await http(service, 'PUT', put('shared-1'), { token: regB.token, body: { ...appointment({ value: 'shared-1', rpps: s.pro.rpps, ...s.slot(0) }), status: 'cancelled' }, headers: FHIR_JSON });
  t.equal(probe.status, 404, 'another territory: as if no such identifier');
  t.equal(await statusOf(s.db, s.slot(0).id), 'booked', 'and nothing was cancelled');
  // Each client's PUT reaches its own appointment.
  const cancelled = await http(service, 'PUT', put('shared-1'), { token: regA2.token, body: { ...appointment({ value: 'shared-1', rpps: s.pro.rpps, ...s.slot(1) }), status: 'cancelled' }, headers: FHIR_JSON });
  t.equal(cancelled.status, 200);
  t.equal(cancelled.json.id, second.json.id, 'its own');
  t.equal(await statusOf(s.db, s.slot(0).id), 'booked', 'regA\'s is untouched');
  // A coordinator of the territory still reaches what the SAS booked there.
  const seen = await http(service, 'PUT', put('shared-1'), { token: coordA.token, body: { ...appointment({ value: 'shared-1', rpps: s.pro.rpps, ...s.slot(0) }), status: 'cancelled' }, headers: FHIR_JSON });
  t.equal(seen.status, 200, 'the territory\'s coordinator reaches it');
  t.equal(seen.json.id, first.json.id);
});

t.test('control characters in any FHIR text: a 400 naming the field, nothing stored (issue 15)', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.database.url);
  const regA = await tokenFor(s.db, 'regulator', ['terr-a']);
  const cases: [string, Record<string, unknown>, string][] = [
    ['identifier', appointment({ value: 'nul\u0000x', rpps: s.pro.rpps, ...s.slot(0) }), 'Appointment.identifier[0].value'],
    ['patient family', appointment({ value: 'nul-2', rpps: s.pro.rpps, ...s.slot(0), patient: { name: [{ family: 'Dup\u0000ont', given: ['A'] }], telecom: [{ system: 'phone', value: '0611223344' }] } }), 'Appointment.contained[0].name[0].family'],
    ['patient phone', appointment({ value: 'nul-3', rpps: s.pro.rpps, ...s.slot(0), patient: { name: [{ family: 'Dupont' }], telecom: [{ system: 'phone', value: '06\u001b11223344' }] } }), 'Appointment.contained[0].telecom[0].value'],
  ];
  for (const [label, body, expression] of cases) {
    const res = await http(service, 'POST', '/fhir/Appointment', { token: regA.token, body, headers: FHIR_JSON });
    t.equal(res.status, 400, `${label}: 400`);
    t.ok(res.json.issue.some((i: { expression?: string[] }) => i.expression?.includes(expression)), `${label}: names ${expression}`, { issue: res.json.issue });
  }
  const search = await http(service, 'PUT', `/fhir/Appointment?identifier=${encodeURIComponent(`${SAS}|a\u0000b`)}`, { token: regA.token, body: appointment({ value: 'a', rpps: s.pro.rpps, ...s.slot(0) }), headers: FHIR_JSON });
  t.equal(search.status, 400, 'a control character in a search parameter: 400');
  t.equal(await statusOf(s.db, s.slot(0).id), 'free', 'nothing was booked');
});

t.test('fulfilled and noshow: from a professional or coordinator client, once the slot has started', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.database.url);
  const regulator = await tokenFor(s.db, 'regulator', ['terr-a']);
  const coordinator = await tokenFor(s.db, 'coordinator', ['terr-a']);
  const slot = s.slot(0);
  const body = appointment({ value: 'done-1', rpps: s.pro.rpps, ...slot });
  const created = await http(service, 'POST', '/fhir/Appointment', { token: regulator.token, body, headers: FHIR_JSON });
  t.equal(created.status, 201);
  const forbidden = await http(service, 'PUT', put('done-1'), { token: regulator.token, body: { ...body, status: 'fulfilled' }, headers: FHIR_JSON });
  t.equal(forbidden.status, 403, 'a regulator cannot record the outcome (booking rule)');
  t.equal(forbidden.json.issue[0].code, 'forbidden');
  const early = await http(service, 'PUT', put('done-1'), { token: coordinator.token, body: { ...body, status: 'fulfilled' }, headers: FHIR_JSON });
  t.equal(early.status, 422, 'before the start: 422');
  t.equal(early.json.issue[0].code, 'business-rule');

  // The appointment has taken place.
  const [start, end] = [Math.floor(Date.now() / MINUTE) * MINUTE - 40 * MINUTE, Math.floor(Date.now() / MINUTE) * MINUTE - 20 * MINUTE];
  await sql`update slots set starts_at = ${new Date(start)}, ends_at = ${new Date(end)} where id = ${slot.id}`.execute(s.db);
  await sql`update bookings set starts_at = ${new Date(start)}, ends_at = ${new Date(end)} where id = ${created.json.id}`.execute(s.db);
  const past = appointment({ value: 'done-1', rpps: s.pro.rpps, start, end });
  const fulfilled = await http(service, 'PUT', put('done-1'), { token: coordinator.token, body: { ...past, status: 'fulfilled' }, headers: FHIR_JSON });
  t.equal(fulfilled.status, 200, 'fulfilled');
  t.equal(fulfilled.json.status, 'fulfilled');
  t.equal((await s.db.selectFrom('bookings').select('status').where('id', '=', created.json.id).executeTakeFirstOrThrow()).status, 'honoured');
  const noshow = await http(service, 'PUT', put('done-1'), { token: coordinator.token, body: { ...past, status: 'noshow' }, headers: FHIR_JSON });
  t.equal(noshow.status, 422, 'fulfilled, then noshow: 422');
  const repeat = await http(service, 'PUT', put('done-1'), { token: coordinator.token, body: { ...past, status: 'fulfilled' }, headers: FHIR_JSON });
  t.equal(repeat.status, 200, 'the same status again is harmless');
  const movedBack = await http(service, 'PUT', put('done-1'), { token: coordinator.token, body: { ...body, status: 'fulfilled' }, headers: FHIR_JSON });
  t.equal(movedBack.status, 422, 'other times than the booking\'s: 422');
});

t.test('race: POST /v1/bookings against POST /fhir/Appointment on the same slot, exactly one wins', async (t) => {
  const s = await setup(t, 12);
  const [one, two] = await Promise.all([startTestService(t, s.database.url), startTestService(t, s.database.url)]);
  await Promise.all([one.sync.catchUp(), two.sync.catchUp()]);
  const api = await tokenFor(s.db, 'regulator', ['terr-a']);
  const sas = await tokenFor(s.db, 'regulator', ['terr-a']);
  const answers = await Promise.all(s.ids.slice(0, 10).flatMap((_, i) => {
    const slot = s.slot(i);
    // Alternate which instance each side uses, and which request leaves first.
    const v1 = http(i % 2 === 0 ? one : two, 'POST', '/v1/bookings', { token: api.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: slot.id, patient: { name: `P${i}`, phone: '+33 6 00 00 00 00' } } })
      .then((response) => ({ via: 'v1', slot: slot.id, response }));
    const fhir = http(i % 2 === 0 ? two : one, 'POST', '/fhir/Appointment', { token: sas.token, body: appointment({ value: `race-${i}`, rpps: s.pro.rpps, ...slot }), headers: FHIR_JSON })
      .then((response) => ({ via: 'fhir', slot: slot.id, response }));
    return i % 2 === 0 ? [v1, fhir] : [fhir, v1];
  }));
  for (const slotId of s.ids.slice(0, 10)) {
    const pair = answers.filter((a) => a.slot === slotId);
    const winners = pair.filter((a) => a.response.status === 201);
    const loser = pair.find((a) => a.response.status !== 201);
    if (winners.length !== 1 || loser?.response.status !== 409) { t.fail('not exactly one winner and one 409', { pair: pair.map((a) => [a.via, a.response.status, a.response.json]) }); continue; }
    if (loser.via === 'fhir' && !(loser.response.json.resourceType === 'OperationOutcome' && loser.response.json.issue[0].code === 'conflict')) t.fail('the FHIR loser gets an OperationOutcome conflict', { json: loser.response.json });
    if (loser.via === 'v1' && loser.response.json.type !== 'urn:problem:snp-match:slot-unavailable') t.fail('the HTTP loser gets the usual 409', { json: loser.response.json });
  }
  t.pass('each slot: one 201, one 409 in the loser\'s own dialect');
  t.ok(answers.some((a) => a.via === 'fhir' && a.response.status === 201) || answers.some((a) => a.via === 'v1' && a.response.status === 201), 'someone won');
  const live = await s.db.selectFrom('bookings').select('slot_id').where('status', '=', 'booked').execute();
  t.equal(live.length, 10, 'ten live bookings');
  t.equal(new Set(live.map((b) => b.slot_id)).size, 10, 'no slot booked twice');

  // The same Appointment sent three times at once, on both instances: one booking.
  const body = appointment({ value: 'triple', rpps: s.pro.rpps, ...s.slot(10) });
  const triple = await Promise.all([one, two, one].map((svc) => http(svc, 'POST', '/fhir/Appointment', { token: sas.token, body, headers: FHIR_JSON })));
  t.same(triple.map((r) => r.status), [201, 201, 201], 'every copy answers 201');
  t.equal(new Set(triple.map((r) => r.json.id)).size, 1, 'with the same booking');
  t.equal((await s.db.selectFrom('bookings').select('id').where('slot_id', '=', s.slot(10).id).execute()).length, 1, 'booked once');
});

t.test('no patient data in the logs of the FHIR routes', async (t) => {
  const s = await setup(t);
  let logs = '';
  const sink = new Writable({ write(chunk, _encoding, done) { logs += String(chunk); done(); } });
  const logger = pino({ ...loggerOptions('trace'), transport: undefined }, sink);
  const service = await startService(loadConfig({ NODE_ENV: 'test', PLUGIN_TIMEOUT_MS: '120000', PORT: '0', SEED_DEMO: 'false', DATABASE_URL: s.database.url, LOG_LEVEL: 'trace', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' }), logger);
  t.teardown(() => service.close());
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const patient = { name: [{ family: 'Zyglowski', given: ['Anselme'] }], telecom: [{ system: 'phone', value: '+33 6 98 76 54 32' }] };
  const body = appointment({ value: 'log-1', rpps: s.pro.rpps, ...s.slot(0), patient });
  t.equal((await http(service, 'POST', '/fhir/Appointment', { token, body, headers: FHIR_JSON })).status, 201);
  t.equal((await http(service, 'POST', '/fhir/Appointment', { token, body: { ...body, start: 'nonsense' }, headers: FHIR_JSON })).status, 422);
  await http(service, 'POST', '/fhir/Appointment', { token, body: JSON.stringify(body).slice(0, 200), headers: FHIR_JSON });
  t.equal((await http(service, 'PUT', put('log-1'), { token, body: { ...body, status: 'cancelled' }, headers: FHIR_JSON })).status, 200);
  t.ok(logs.includes('request completed'), 'requests were logged');
  for (const secret of ['Zyglowski', 'Anselme', '98 76 54 32', token]) t.notOk(logs.includes(secret), `the logs do not contain ${secret.slice(0, 6)}…`);
});
