// Every role × every route × own / other territory / other professional or
// client, with the expected status, over every channel: /v1, /fhir and the
// three sockets. The routes come from the service itself (its OpenAPI document
// and Fastify's route table): a route or channel without a row fails the test. Each cell gets fresh resources, so cells
// never depend on each other. Out of scope is 404 where an id is given (the
// caller learns nothing), 403 where the caller names the territory or lacks the role.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addBooking, addHold, addProfessional, addSlots, COMMUNES, nextRpps, soon, tokenFor, world } from './helpers/fixtures.js';
import { PATIENT } from './helpers/patients.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';
import { sql } from 'kysely';
import { EXTENSION, SYSTEM } from '../src/sas/resources/constants.js';
import { pairId } from '../src/sas/resources/ids.js';
import { formatFhirInstant } from '../src/sas/resources/instant.js';
import { EXAMPLE_RULE_SET } from '../src/usecases/rule-set-views.js';

const SUBJECTS = ['regA', 'regA2', 'pharmA', 'proA', 'proA2', 'coordA', 'regB', 'coordB', 'anon'] as const;
type Subject = (typeof SUBJECTS)[number];
type Expect = Record<Subject, number>;
const patient = PATIENT;

/** Shorthands: requester roles, professionals, coordinators. */
const row = (s: [number, number, number, number, number, number, number, number, number]): Expect =>
  Object.fromEntries(SUBJECTS.map((name, i) => [name, s[i]!])) as Expect;
//                                   regA regA2 pharmA proA proA2 coordA regB coordB anon
const ADMIN_WRITE = (created: number) => row([403, 403, 403, 403, 403, created, 403, 404, 401]);

t.test('authorization matrix', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  await sql`update territories set organisation_identifier = case id when 'terr-a' then '1690000010' else '1170000012' end`.execute(db.db);
  const [proA, proA2] = w.a.pros as [typeof w.a.pros[0], typeof w.a.pros[0]];
  // Read by GET /fhir/Slot/:id from the index, so there before the service starts; before every other cell's slots.
  const [fhirSlot] = await addSlots(db.db, proA!, { start: soon(60), count: 1 });
  const service = await startTestService(t, db.url);
  const tokens = {
    regA: await tokenFor(db.db, 'regulator', ['terr-a']),
    regA2: await tokenFor(db.db, 'regulator', ['terr-a']),
    pharmA: await tokenFor(db.db, 'pharmacist', ['terr-a']),
    proA: await tokenFor(db.db, 'professional', ['terr-a'], proA!.rpps),
    proA2: await tokenFor(db.db, 'professional', ['terr-a'], proA2!.rpps),
    coordA: await tokenFor(db.db, 'coordinator', ['terr-a']),
    regB: await tokenFor(db.db, 'regulator', ['terr-b']),
    coordB: await tokenFor(db.db, 'coordinator', ['terr-b']),
  };
  const regA = tokens.regA.id;

  // Fresh, non-overlapping slots of proA: future ones forward, past ones backward.
  let nextFuture = soon(120);
  let nextPast = Date.now() - 3_600_000;
  const futureSlot = async () => (await addSlots(db.db, proA!, { start: (nextFuture += 20 * 60_000), count: 1 }))[0]!;
  const pastSlot = async () => (await addSlots(db.db, proA!, { start: (nextPast -= 20 * 60_000), count: 1 }))[0]!;
  const booking = async () => addBooking(db.db, { slotId: await futureSlot(), clientId: regA });
  const pastBooking = async () => addBooking(db.db, { slotId: await pastSlot(), clientId: regA });
  const hold = async () => addHold(db.db, { slotId: await futureSlot(), clientId: regA });
  const freshPro = () => addProfessional(db.db, { territoryId: 'terr-a', commune: COMMUNES.venissieux });
  const key = () => ({ 'idempotency-key': randomUUID() });

  const triageBody = { patient: { age: 34, sex: 'female' }, complaint: 'sore-throat', redFlags: [], commune: COMMUNES.venissieux.code };
  const SAS = 'urn:oid:1.2.250.1.213.1.6.4.2';
  const FHIR_JSON = { 'content-type': 'application/fhir+json' };
  const idnpsType = { coding: [{ system: SYSTEM.identifierTypeV2, code: 'IDNPS' }] };
  /** A FrAppointmentSAS for a fresh future slot of proA, under a fresh identifier. */
  const fhirAppointment = async () => {
    const start = (nextFuture += 20 * 60_000);
    await addSlots(db.db, proA!, { start, count: 1 });
    return {
      resourceType: 'Appointment',
      extension: [{ url: EXTENSION.appointmentOperator, valueReference: { identifier: { type: idnpsType, system: SYSTEM.idnps, value: '810100050075' } } }],
      identifier: [{ system: SAS, value: randomUUID() }], status: 'booked',
      start: formatFhirInstant(start, 'Europe/Paris'), end: formatFhirInstant(start + 20 * 60_000, 'Europe/Paris'),
      participant: [{ actor: { identifier: { type: idnpsType, system: SYSTEM.idnps, value: `8${proA!.rpps}` } }, status: 'accepted' }],
    };
  };

  /** A FrPractitionerRegul known by the SAS's internal identifier `id`. */
  const regulatorAccount = (id: string) => ({
    resourceType: 'Practitioner', identifier: [{ type: { coding: [{ system: SYSTEM.identifierTypeV2, code: 'INTRN' }] }, system: SYSTEM.sasInternal, value: id }],
    active: true, name: [{ family: 'Régulateur', given: ['Test'] }], telecom: [{ system: 'email', value: `${id}@sas.example` }],
  });

  let people = 0;
  const person = () => ({ login: `matrix.${++people}.${randomUUID().slice(0, 8)}`, name: 'Pharmacie du test', role: 'pharmacist', territories: ['terr-a'] });

  interface Cell { method: string; path: string; body?: unknown; headers?: Record<string, string> }
  const routes: { name: string; cell: () => Promise<Cell>; expect: Expect }[] = [
    //                                                                                                                regA regA2 pharmA proA proA2 coordA regB coordB anon
    { name: 'POST /v1/match', cell: async () => ({ method: 'POST', path: '/v1/match', body: { territory: 'terr-a' } }), expect: row([200, 200, 200, 403, 403, 200, 403, 403, 401]) },
    { name: 'POST /v1/holds', cell: async () => ({ method: 'POST', path: '/v1/holds', body: { slotId: await futureSlot() } }), expect: row([201, 201, 201, 403, 403, 201, 404, 404, 401]) },
    { name: 'DELETE /v1/holds/:id', cell: async () => ({ method: 'DELETE', path: `/v1/holds/${await hold()}` }), expect: row([204, 404, 404, 403, 403, 404, 404, 404, 401]) },
    { name: 'POST /v1/holds/:id/release', cell: async () => ({ method: 'POST', path: `/v1/holds/${await hold()}/release` }), expect: row([204, 404, 404, 403, 403, 404, 404, 404, 401]) },
    { name: 'POST /v1/bookings {slotId}', cell: async () => ({ method: 'POST', path: '/v1/bookings', headers: key(), body: { slotId: await futureSlot(), patient } }), expect: row([201, 201, 201, 403, 403, 201, 404, 404, 401]) },
    { name: 'POST /v1/bookings {holdId}', cell: async () => ({ method: 'POST', path: '/v1/bookings', headers: key(), body: { holdId: await hold(), patient } }), expect: row([201, 404, 404, 403, 403, 404, 404, 404, 401]) },
    { name: 'GET /v1/bookings', cell: async () => ({ method: 'GET', path: '/v1/bookings' }), expect: row([200, 200, 200, 200, 200, 200, 200, 200, 401]) },
    { name: 'GET /v1/bookings?territory=terr-a', cell: async () => ({ method: 'GET', path: '/v1/bookings?territory=terr-a' }), expect: row([200, 200, 200, 200, 200, 200, 403, 403, 401]) },
    { name: 'GET /v1/bookings/:id', cell: async () => ({ method: 'GET', path: `/v1/bookings/${await booking()}` }), expect: row([200, 404, 404, 200, 404, 200, 404, 404, 401]) },
    { name: 'POST /v1/bookings/:id/cancel', cell: async () => ({ method: 'POST', path: `/v1/bookings/${await booking()}/cancel` }), expect: row([200, 404, 404, 200, 404, 200, 404, 404, 401]) },
    { name: 'POST /v1/bookings/:id/no-show', cell: async () => ({ method: 'POST', path: `/v1/bookings/${await pastBooking()}/no-show` }), expect: row([403, 403, 403, 200, 404, 200, 403, 404, 401]) },
    { name: 'POST /v1/bookings/:id/honoured', cell: async () => ({ method: 'POST', path: `/v1/bookings/${await pastBooking()}/honoured` }), expect: row([403, 403, 403, 200, 404, 200, 403, 404, 401]) },
    { name: 'GET /v1/admin/slots?territory=terr-a', cell: async () => ({ method: 'GET', path: `/v1/admin/slots?territory=terr-a&from=${encodeURIComponent(new Date().toISOString())}` }), expect: row([403, 403, 403, 403, 403, 200, 403, 403, 401]) },
    { name: 'GET /v1/admin/professionals?territory=terr-a', cell: async () => ({ method: 'GET', path: '/v1/admin/professionals?territory=terr-a' }), expect: row([403, 403, 403, 403, 403, 200, 403, 403, 401]) },
    {
      name: 'POST /v1/admin/professionals', expect: row([403, 403, 403, 403, 403, 201, 403, 403, 401]),
      cell: async () => ({ method: 'POST', path: '/v1/admin/professionals', body: { territory: 'terr-a', rpps: nextRpps(), familyName: 'New', givenName: 'Pro', profession: 'nurse' } }),
    },
    {
      name: 'POST /v1/admin/territories/:id/members', expect: row([403, 403, 403, 403, 403, 201, 403, 403, 401]),
      cell: async () => ({ method: 'POST', path: '/v1/admin/territories/terr-a/members', body: { rpps: (await addProfessional(db.db, { territoryId: 'terr-b', commune: COMMUNES.royan })).rpps } }),
    },
    {
      name: 'DELETE /v1/admin/territories/:id/members/:rpps', expect: row([403, 403, 403, 403, 403, 200, 403, 403, 401]),
      cell: async () => {
        const member = await addProfessional(db.db, { territoryId: 'terr-b', commune: COMMUNES.royan });
        await db.db.insertInto('professional_territories').values({ professional_id: member.id, territory_id: 'terr-a' }).execute();
        return { method: 'DELETE', path: `/v1/admin/territories/terr-a/members/${member.rpps}` };
      },
    },
    { name: 'PATCH /v1/admin/professionals/:id', cell: async () => ({ method: 'PATCH', path: `/v1/admin/professionals/${proA!.id}`, body: { skills: ['ecg'] } }), expect: ADMIN_WRITE(200) },
    { name: 'POST /v1/admin/professionals/:id/sites', cell: async () => ({ method: 'POST', path: `/v1/admin/professionals/${proA!.id}/sites`, body: { commune: COMMUNES.saintFons.code } }), expect: ADMIN_WRITE(201) },
    { name: 'POST /v1/admin/professionals/:id/unavailable', cell: async () => ({ method: 'POST', path: `/v1/admin/professionals/${(await freshPro()).id}/unavailable`, body: { until: new Date(Date.now() + 86_400_000).toISOString() } }), expect: ADMIN_WRITE(200) },
    {
      name: 'POST /v1/admin/bands', expect: ADMIN_WRITE(201),
      cell: async () => {
        const pro = await freshPro();
        return { method: 'POST', path: '/v1/admin/bands', body: { professionalId: pro.id, siteId: pro.siteId, daysOfWeek: [1, 2, 3, 4, 5, 6, 7], localStart: '14:00', localEnd: '16:00', slotMinutes: 30, modality: 'office', validFrom: '2026-01-01' } };
      },
    },
    { name: 'GET /v1/admin/bands?territory=terr-a', cell: async () => ({ method: 'GET', path: `/v1/admin/bands?territory=terr-a&from=${encodeURIComponent(new Date().toISOString())}` }), expect: row([403, 403, 403, 403, 403, 200, 403, 403, 401]) },
    {
      name: 'DELETE /v1/admin/bands/:id', expect: ADMIN_WRITE(200),
      cell: async () => {
        const pro = await freshPro();
        const band = await db.db.insertInto('oncall_bands').values({ professional_id: pro.id, site_id: pro.siteId, days_of_week: [1], local_start: '14:00', local_end: '16:00', slot_minutes: 30, modality: 'office', valid_from: '2026-01-01', valid_until: null })
          .returning('id').executeTakeFirstOrThrow();
        return { method: 'DELETE', path: `/v1/admin/bands/${band.id}` };
      },
    },
    {
      name: 'PATCH /v1/admin/bands/:id', expect: ADMIN_WRITE(200),
      cell: async () => {
        const pro = await freshPro();
        const band = await db.db.insertInto('oncall_bands').values({ professional_id: pro.id, site_id: pro.siteId, days_of_week: [1], local_start: '14:00', local_end: '16:00', slot_minutes: 30, modality: 'office', valid_from: '2026-01-01', valid_until: null })
          .returning('id').executeTakeFirstOrThrow();
        return { method: 'PATCH', path: `/v1/admin/bands/${band.id}`, body: { localEnd: '17:00' } };
      },
    },
    {
      name: 'POST /v1/admin/slots', expect: ADMIN_WRITE(201),
      cell: async () => {
        const start = (nextFuture += 20 * 60_000);
        return { method: 'POST', path: '/v1/admin/slots', body: { professionalId: proA!.id, siteId: proA!.siteId, start: new Date(start).toISOString(), end: new Date(start + 20 * 60_000).toISOString(), modality: 'office' } };
      },
    },
    { name: 'POST /v1/admin/slots/:id/block', cell: async () => ({ method: 'POST', path: `/v1/admin/slots/${await futureSlot()}/block` }), expect: ADMIN_WRITE(200) },
    // Triage, indicators and rule sets (issue 15: every route has its row).
    { name: 'POST /v1/triage', cell: async () => ({ method: 'POST', path: '/v1/triage', body: triageBody }), expect: row([200, 200, 200, 403, 403, 200, 403, 403, 401]) },
    { name: 'POST /v1/requests', cell: async () => ({ method: 'POST', path: '/v1/requests', body: triageBody }), expect: row([200, 200, 200, 403, 403, 200, 403, 403, 401]) },
    { name: 'GET /v1/indicators', cell: async () => ({ method: 'GET', path: '/v1/indicators?territory=terr-a' }), expect: row([403, 403, 403, 403, 403, 200, 403, 403, 401]) },
    { name: 'GET /v1/territories/:id/rule-set', cell: async () => ({ method: 'GET', path: '/v1/territories/terr-a/rule-set' }), expect: row([200, 200, 200, 403, 403, 200, 403, 403, 401]) },
    { name: 'GET /v1/territories/:id/communes', cell: async () => ({ method: 'GET', path: '/v1/territories/terr-a/communes' }), expect: row([200, 200, 200, 403, 403, 200, 403, 403, 401]) },
    { name: 'GET /v1/territories/:id/rule-set/versions', cell: async () => ({ method: 'GET', path: '/v1/territories/terr-a/rule-set/versions' }), expect: row([200, 200, 200, 403, 403, 200, 403, 403, 401]) },
    { name: 'POST /v1/territories/:id/rule-set/validate', cell: async () => ({ method: 'POST', path: '/v1/territories/terr-a/rule-set/validate', body: { document: EXAMPLE_RULE_SET } }), expect: row([403, 403, 403, 403, 403, 200, 403, 403, 401]) },
    { name: 'PUT /v1/territories/:id/rule-set', cell: async () => ({ method: 'PUT', path: '/v1/territories/terr-a/rule-set', body: { document: EXAMPLE_RULE_SET, note: 'matrix' } }), expect: row([403, 403, 403, 403, 403, 200, 403, 403, 401]) },
    {
      name: 'POST /v1/territories/:id/rule-set/rollback', expect: row([403, 403, 403, 403, 403, 200, 403, 403, 401]),
      cell: async () => {
        // Version 1 (the national default) must not be the one in force, or the rollback is a 409.
        await http(service, 'PUT', '/v1/territories/terr-a/rule-set', { token: tokens.coordA.token, body: { document: EXAMPLE_RULE_SET } });
        return { method: 'POST', path: '/v1/territories/terr-a/rule-set/rollback', body: { version: 1 } };
      },
    },
    // /fhir: the regulators' and coordinators' (README); metadata is public.
    { name: 'GET /fhir/metadata', cell: async () => ({ method: 'GET', path: '/fhir/metadata' }), expect: row([200, 200, 200, 200, 200, 200, 200, 200, 200]) },
    {
      name: 'GET /fhir/Slot', expect: row([200, 200, 403, 403, 403, 200, 200, 200, 401]),
      cell: async () => ({ method: 'GET', path: `/fhir/Slot?start=ge${new Date(Date.now()).toISOString()}&start=le${new Date(Date.now() + 86_400_000).toISOString()}&schedule.actor:Practitioner.identifier=${encodeURIComponent(`${SYSTEM.idnps}|8${proA!.rpps}`)}&status=free` }),
    },
    { name: 'GET /fhir/Slot/:id', cell: async () => ({ method: 'GET', path: `/fhir/Slot/${fhirSlot!}` }), expect: row([200, 200, 403, 403, 403, 200, 404, 404, 401]) },
    { name: 'GET /fhir/Schedule/:id', cell: async () => ({ method: 'GET', path: `/fhir/Schedule/${pairId(proA!.id, proA!.siteId)}` }), expect: row([200, 200, 403, 403, 403, 200, 404, 404, 401]) },
    { name: 'GET /fhir/Schedule', cell: async () => ({ method: 'GET', path: `/fhir/Schedule?actor=Practitioner/${proA!.id}` }), expect: row([200, 200, 403, 403, 403, 200, 200, 200, 401]) },
    { name: 'GET /fhir/Practitioner/:id', cell: async () => ({ method: 'GET', path: `/fhir/Practitioner/${proA!.id}` }), expect: row([200, 200, 403, 403, 403, 200, 404, 404, 401]) },
    { name: 'GET /fhir/Practitioner', cell: async () => ({ method: 'GET', path: `/fhir/Practitioner?identifier=${encodeURIComponent(`${SYSTEM.idnps}|8${proA!.rpps}`)}` }), expect: row([200, 200, 403, 403, 403, 200, 200, 200, 401]) },
    { name: 'POST /fhir/Appointment', cell: async () => ({ method: 'POST', path: '/fhir/Appointment', headers: FHIR_JSON, body: await fhirAppointment() }), expect: row([201, 201, 403, 403, 403, 201, 422, 422, 401]) },
    {
      name: 'PUT /fhir/Appointment', expect: row([201, 201, 403, 403, 403, 201, 422, 422, 401]),
      cell: async () => {
        const body = await fhirAppointment();
        return { method: 'PUT', path: `/fhir/Appointment?identifier=${encodeURIComponent(`${SAS}|${body.identifier[0]!.value}`)}`, headers: FHIR_JSON, body };
      },
    },
    // Regulator accounts (flux v1): the SAS's regulator client only, for its own territories (none is named).
    { name: 'POST /fhir/Practitioner', cell: async () => ({ method: 'POST', path: '/fhir/Practitioner', headers: FHIR_JSON, body: regulatorAccount(randomUUID()) }), expect: row([201, 201, 403, 403, 403, 403, 201, 403, 401]) },
    {
      name: 'PUT /fhir/Practitioner', expect: row([201, 201, 403, 403, 403, 403, 201, 403, 401]),
      cell: async () => {
        const id = randomUUID();
        return { method: 'PUT', path: `/fhir/Practitioner?identifier=${encodeURIComponent(`${SYSTEM.sasInternal}|${id}`)}`, headers: FHIR_JSON, body: regulatorAccount(id) };
      },
    },
    // The Régulation page's slot (booking link): the booking roles of the territory; elsewhere 404 like a missing slot.
    { name: 'GET /v1/slots/:id', cell: async () => ({ method: 'GET', path: `/v1/slots/${await futureSlot()}` }), expect: row([200, 200, 200, 403, 403, 200, 404, 404, 401]) },
    // People (web app accounts, issue 17): the coordinators of the territory only; elsewhere 403 (territory named) or 404 (an id).
    { name: 'GET /v1/admin/people?territory=terr-a', cell: async () => ({ method: 'GET', path: '/v1/admin/people?territory=terr-a' }), expect: row([403, 403, 403, 403, 403, 200, 403, 403, 401]) },
    { name: 'POST /v1/admin/people', cell: async () => ({ method: 'POST', path: '/v1/admin/people', body: person() }), expect: row([403, 403, 403, 403, 403, 201, 403, 403, 401]) },
    {
      name: 'POST /v1/admin/people/:id/disable', expect: ADMIN_WRITE(204),
      cell: async () => {
        const created = await http(service, 'POST', '/v1/admin/people', { token: tokens.coordA.token, body: person() });
        return { method: 'POST', path: `/v1/admin/people/${created.json.person.id as string}/disable` };
      },
    },
    {
      name: 'POST /v1/admin/slots/:id/unblock', expect: ADMIN_WRITE(200),
      cell: async () => {
        const slot = await futureSlot();
        await db.db.updateTable('slots').set({ status: 'blocked' }).where('id', '=', slot).execute();
        return { method: 'POST', path: `/v1/admin/slots/${slot}/unblock` };
      },
    },
  ];

  let cells = 0;
  for (const route of routes) {
    for (const subject of SUBJECTS) {
      const cell = await route.cell();
      const answer = await http(service, cell.method, cell.path, {
        ...(subject === 'anon' ? {} : { token: tokens[subject].token }),
        ...(cell.body !== undefined ? { body: cell.body } : {}),
        ...(cell.headers !== undefined ? { headers: cell.headers } : {}),
      });
      cells++;
      if (answer.status !== route.expect[subject]) {
        t.fail(`${route.name} as ${subject}: expected ${route.expect[subject]}, got ${answer.status}`, { body: answer.json });
      } else if (answer.status >= 400 && !answer.headers.get('content-type')?.includes(cell.path.startsWith('/fhir/') ? 'application/fhir+json' : 'application/problem+json')) {
        t.fail(`${route.name} as ${subject}: the ${answer.status} is not problem+json (an OperationOutcome under /fhir)`);
      } else {
        t.pass(`${route.name} as ${subject}: ${answer.status}`);
      }
    }
  }
  t.equal(cells, routes.length * SUBJECTS.length);

  // The sockets: who may open which channel (an open socket is 101).
  const channels: { name: string; path: string; expect: Expect }[] = [
    { name: 'GET /v1/ws/professional', path: '/v1/ws/professional', expect: row([403, 403, 403, 101, 101, 403, 403, 403, 401]) },
    { name: 'GET /v1/ws/coordinator', path: '/v1/ws/coordinator', expect: row([403, 403, 403, 403, 403, 101, 403, 101, 401]) },
    { name: 'GET /v1/ws/counter', path: '/v1/ws/counter', expect: row([101, 101, 101, 403, 403, 403, 101, 403, 401]) },
  ];
  for (const channel of channels) {
    for (const subject of SUBJECTS) {
      const opened = await TestSocket.open(service.url, channel.path, subject === 'anon' ? '' : tokens[subject].token).catch((error: { status?: number }) => error);
      const status = opened instanceof TestSocket ? 101 : (opened.status ?? 0);
      if (opened instanceof TestSocket) await opened.close();
      t.equal(status, channel.expect[subject], `${channel.name} as ${subject}: ${status}`);
    }
  }

  // Public by design: the web app's pages and login, and the embedded OpenID provider, are reached by a
  // browser before any login. No API client is needed, and a bearer token changes nothing (a session
  // cookie, made by the login, is their only credential): every subject gets what a stranger gets,
  // and what a stranger gets is a page, a redirect to the login or a 401, never data.
  const publicRoutes: { routes: string[]; why: string; probe: { method: string; path: string }; expect: number }[] = [
    { routes: ['GET /app'], why: 'the shell\'s address', probe: { method: 'GET', path: '/app' }, expect: 301 },
    { routes: ['GET /app/', 'GET /app/*'], why: 'the shell: one HTML page holding no data, the data comes from /v1 with the session', probe: { method: 'GET', path: '/app/astreinte' }, expect: 200 },
    { routes: ['GET /app/assets/:file'], why: 'the bundled script and style', probe: { method: 'GET', path: '/app/assets/app.css' }, expect: 200 },
    { routes: ['GET /app/regulation'], why: 'the SAS\'s booking link: without a session, to the login', probe: { method: 'GET', path: '/app/regulation?creneau=00000000-0000-4000-8000-000000000000' }, expect: 302 },
    { routes: ['GET /app/auth/login'], why: 'the login: to the OpenID provider', probe: { method: 'GET', path: '/app/auth/login' }, expect: 302 },
    { routes: ['GET /app/auth/callback'], why: 'the provider\'s answer: without its login cookie, to the error page', probe: { method: 'GET', path: '/app/auth/callback?code=x&state=y' }, expect: 303 },
    { routes: ['POST /app/auth/logout'], why: 'ends the session it is sent with, if any', probe: { method: 'POST', path: '/app/auth/logout' }, expect: 204 },
    { routes: ['GET /app/api/session'], why: 'the session the cookie names: a bearer token is none', probe: { method: 'GET', path: '/app/api/session' }, expect: 401 },
    { routes: ['* /oidc', '* /oidc*'], why: 'the embedded OpenID provider: its protocol (client secret, PKCE, login form) protects it', probe: { method: 'GET', path: '/oidc/.well-known/openid-configuration' }, expect: 200 },
    { routes: ['GET /oidc/interaction/:uid', 'POST /oidc/interaction/:uid/login'], why: 'the provider\'s login form: an unknown interaction is an expired page', probe: { method: 'GET', path: '/oidc/interaction/unknown' }, expect: 400 },
  ];
  for (const entry of publicRoutes) {
    for (const subject of SUBJECTS) {
      const answer = await fetch(service.url + entry.probe.path, {
        method: entry.probe.method, redirect: 'manual', headers: subject === 'anon' ? {} : { authorization: `Bearer ${tokens[subject].token}` },
      });
      await answer.arrayBuffer();
      t.equal(answer.status, entry.expect, `public ${entry.routes.join(', ')} (${entry.why}) as ${subject}: ${answer.status}`);
    }
  }
  const isPublic = (route: string) => publicRoutes.some((entry) => entry.routes.some((pattern) => {
    const [method, path] = pattern.split(' ');
    return route.endsWith(` ${path}`) && (method === '*' || route.startsWith(`${method} `));
  }));

  // Every route the service serves has its row: from its OpenAPI document and from Fastify's own route table.
  const rows = new Set([...routes.map((r) => r.name.split(' ').slice(0, 2).join(' ').split('?')[0]!), ...channels.map((c) => c.name)]);
  const PUBLIC = new Set(['GET /healthz', 'GET /readyz']);
  const docs = (await http(service, 'GET', '/docs/json')).json as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(docs.paths).filter(([path]) => !path.startsWith('/docs'))
    .flatMap(([path, item]) => Object.keys(item).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`));
  const served = routeTable(service.server.printRoutes({ commonPrefix: false }));
  t.ok(served.length >= documented.length, `${served.length} routes in Fastify's table, ${documented.length} in the OpenAPI document`);
  for (const route of new Set([...documented, ...served])) {
    if (PUBLIC.has(route) || isPublic(route) || route.startsWith('GET /docs') || route.startsWith('HEAD ') || route.startsWith('OPTIONS ')) continue;
    t.ok(rows.has(route), `${route} has its row in the authorization matrix`);
  }
});

/** "METHOD /path" of every route in Fastify's printRoutes({ commonPrefix: false }) tree. */
function routeTable(printed: string): string[] {
  const routes: string[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of printed.split('\n')) {
    const m = /^([\s│]*)(?:[├└]── )?(\S+)(?: \(([^)]*)\))?/.exec(line);
    if (m === null || m[2] === undefined) continue;
    const depth = m[1]!.length;
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const path = (stack[stack.length - 1]?.path ?? '') + m[2];
    stack.push({ depth, path });
    for (const method of (m[3] ?? '').split(',').map((x) => x.trim()).filter(Boolean)) routes.push(`${method} ${path}`);
  }
  return routes;
}

t.test('lists only show what each client may see', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const service = await startTestService(t, db.url);
  const regA = await tokenFor(db.db, 'regulator', ['terr-a']);
  const regA2 = await tokenFor(db.db, 'regulator', ['terr-a']);
  const proA = await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps);
  const proA2 = await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[1]!.rpps);
  const coordA = await tokenFor(db.db, 'coordinator', ['terr-a']);
  const coordB = await tokenFor(db.db, 'coordinator', ['terr-b']);
  const regB = await tokenFor(db.db, 'regulator', ['terr-b']);
  const start = soon();
  const [s1] = await addSlots(db.db, w.a.pros[0]!, { start, count: 1 });
  const [s2] = await addSlots(db.db, w.a.pros[1]!, { start, count: 1 });
  const [s3] = await addSlots(db.db, w.b.pros[0]!, { start, count: 1 });
  const b1 = await addBooking(db.db, { slotId: s1!, clientId: regA.id });
  const b2 = await addBooking(db.db, { slotId: s2!, clientId: regA2.id });
  const b3 = await addBooking(db.db, { slotId: s3!, clientId: regB.id });
  const seen = async (token: string) => (await http(service, 'GET', '/v1/bookings', { token })).json.bookings.map((b: { id: string }) => b.id).sort();
  t.same(await seen(regA.token), [b1], 'a requester: its own');
  t.same(await seen(regA2.token), [b2]);
  t.same(await seen(proA.token), [b1], 'a professional: those made with it');
  t.same(await seen(proA2.token), [b2]);
  t.same(await seen(coordA.token), [b1, b2].sort(), 'a coordinator: its territory\'s');
  t.same(await seen(coordB.token), [b3]);
  t.same(await seen(regB.token), [b3]);
});
