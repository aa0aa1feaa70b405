// Outbound: bookings made through our other channels reach the SAS platform as
// FrAppointmentSAS, through the outbox, retried until accepted, once per state
// (issue 7). The SAS is a real local HTTP server that refuses the first attempts.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import t, { type Test } from 'tap';
import type { Database } from '../src/db/schema.js';
import { EXTENSION, SYSTEM } from '../src/sas/resources/constants.js';
import { formatFhirInstant } from '../src/sas/resources/instant.js';
import { migratedDatabase } from './helpers/database.js';
import { assertValidFhir } from './helpers/fhir.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { PATIENT } from './helpers/patients.js';
import { http, startTestService } from './helpers/service.js';

interface Received { method: string; path: string; identifier: string; status: string; accepted: boolean; headers: IncomingHttpHeaders; body: any }

/** A stand-in SAS platform: answers 503 to the first `refuse` requests, then 200. */
async function sasPlatform(t: Test, refuse: number, latencyMs = 0) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => { text += String(chunk); });
    req.on('end', () => setTimeout(() => {
      const accepted = received.length >= refuse;
      const url = new URL(req.url ?? '/', 'http://sas.test');
      const body = JSON.parse(text);
      received.push({ method: req.method ?? '', path: url.pathname, identifier: url.searchParams.get('identifier') ?? '', status: body.status, accepted, headers: req.headers, body });
      res.writeHead(accepted ? 200 : 503, { 'content-type': 'application/fhir+json' });
      res.end(accepted ? text : '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient"}]}');
    }, latencyMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`, received };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const env = (endpoint: string) => ({ SAS_FHIR_ENDPOINT: endpoint, SAS_FHIR_TOKEN: 'sas-secret', SAS_FHIR_POLL_MS: '20', SAS_FHIR_RETRY_BASE_MS: '20' });
const patient = PATIENT;
const deliveryRows = async (db: Kysely<Database>, bookingId: string) =>
  (await sql<{ state: string; status: string; attempts: number }>`select state, status, attempts from sas_deliveries where booking_id = ${bookingId} order by event_id`.execute(db)).rows;

async function setup(t: Test, slots: number) {
  const database = await migratedDatabase(t);
  const w = await world(database.db, { prosPerTerritory: 1 });
  await sql`update territories set organisation_identifier = '1690000010' where id = 'terr-a'`.execute(database.db);
  const ids = await addSlots(database.db, w.a.pros[0]!, { start: soon(120), count: slots });
  return { database, db: database.db, pro: w.a.pros[0]!, ids };
}

t.test('a booking and its cancellation over HTTP reach the SAS once each, in order, after refused attempts', async (t) => {
  const s = await setup(t, 2);
  const sas = await sasPlatform(t, 3);
  const service = await startTestService(t, s.database.url, env(sas.url));
  const regulator = await tokenFor(s.db, 'regulator', ['terr-a']);
  const created = await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: s.ids[0], patient } });
  t.equal(created.status, 201, created.text);
  const id = created.json.booking.id as string;
  t.equal((await http(service, 'POST', `/v1/bookings/${id}/cancel`, { token: regulator.token, body: {} })).status, 200);

  const identifier = `urn:snp-match:booking|${id}`;
  await until('both states accepted', () => sas.received.filter((r) => r.accepted).length === 2);
  await new Promise((resolve) => setTimeout(resolve, 300)); // anything more would show up now
  const mine = sas.received.filter((r) => r.identifier === identifier);
  t.equal(mine.length, sas.received.length, 'every request is about this booking');
  t.same(mine.map((r) => [r.status, r.accepted]), [['booked', false], ['booked', false], ['booked', false], ['booked', true], ['cancelled', true]],
    'booked retried until accepted, then cancelled: each accepted exactly once, never out of order');
  for (const r of mine) {
    t.equal(r.method, 'PUT', 'a conditional update…');
    t.equal(r.path, '/fhir/Appointment', '…of Appointment');
    t.equal(r.headers.authorization, 'Bearer sas-secret', 'with the configured token');
    t.match(r.headers['content-type'], /^application\/fhir\+json/);
  }
  const [booked, cancelled] = [mine[3]!.body, mine[4]!.body];
  assertValidFhir(t, booked, 'the booked FrAppointmentSAS');
  assertValidFhir(t, cancelled, 'the cancelled FrAppointmentSAS');
  t.same(booked.meta.profile, ['http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS']);
  t.same(booked.identifier, [{ system: 'urn:snp-match:booking', value: id }], 'our booking id under our system');
  t.same(booked.extension, [{ url: EXTENSION.appointmentOperator, valueReference: { identifier: { type: { coding: [{ system: SYSTEM.identifierTypeV2, code: 'IDNST' }] }, system: SYSTEM.idnst, value: '1690000010' } } }], 'the CPTS is the operator, by its IDNST');
  t.equal(booked.participant[0].actor.identifier.value, `8${s.pro.rpps}`, 'the professional by IDNPS');
  t.equal(booked.start, created.json.booking.start.replace(/(:\d\d)([+-])/, '$1.000$2'), 'the booking\'s start, in the territory\'s offset');
  t.equal(JSON.stringify(booked).includes(patient.phone), false, 'no patient data leaves');
  t.same(await deliveryRows(s.db, id), [{ state: 'booked', status: 'delivered', attempts: 4 }, { state: 'cancelled', status: 'delivered', attempts: 1 }], 'recorded per event');
});

t.test('what the SAS did through /fhir is not echoed; what we did to its appointment is, under its identifier', async (t) => {
  const s = await setup(t, 2);
  const sas = await sasPlatform(t, 0);
  const service = await startTestService(t, s.database.url, env(sas.url));
  const regulator = await tokenFor(s.db, 'regulator', ['terr-a']);
  const coordinator = await tokenFor(s.db, 'coordinator', ['terr-a']);
  const slot = await s.db.selectFrom('slots').select(['id', 'starts_at', 'ends_at']).where('id', '=', s.ids[0]!).executeTakeFirstOrThrow();
  const idnps = { type: { coding: [{ system: SYSTEM.identifierTypeV2, code: 'IDNPS' }] }, system: SYSTEM.idnps };
  const appointment = {
    resourceType: 'Appointment',
    extension: [{ url: EXTENSION.appointmentOperator, valueReference: { identifier: { ...idnps, value: '810100050075' } } }],
    identifier: [{ system: 'urn:oid:1.2.250.1.213.1.6.4.2', value: 'sas-42' }],
    status: 'booked',
    start: formatFhirInstant(slot.starts_at, 'Europe/Paris'),
    end: formatFhirInstant(slot.ends_at, 'Europe/Paris'),
    participant: [{ actor: { identifier: { ...idnps, value: `8${s.pro.rpps}` } }, status: 'accepted' }],
  };
  const created = await http(service, 'POST', '/fhir/Appointment', { token: regulator.token, body: appointment, headers: { 'content-type': 'application/fhir+json' } });
  t.equal(created.status, 201, 'the SAS books through /fhir');
  // A dispatch round or two passes: nothing must go out.
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(sas.received.length, 0, 'the SAS\'s own booking is not sent back to it');

  // The CPTS cancels it (the professional is unavailable): the SAS must learn it.
  t.equal((await http(service, 'POST', `/v1/bookings/${created.json.id}/cancel`, { token: coordinator.token, body: { reason: 'professional unavailable' } })).status, 200);
  await until('the cancellation delivered', () => sas.received.length === 1);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(sas.received.length, 1, 'sent once');
  t.equal(sas.received[0]!.identifier, 'urn:oid:1.2.250.1.213.1.6.4.2|sas-42', 'under the SAS\'s identifier, as a conditional update');
  t.equal(sas.received[0]!.body.status, 'cancelled');
  t.same(sas.received[0]!.body.identifier, [{ system: 'urn:oid:1.2.250.1.213.1.6.4.2', value: 'sas-42' }]);
  t.same(await deliveryRows(s.db, created.json.id), [{ state: 'booked', status: 'skipped', attempts: 0 }, { state: 'cancelled', status: 'delivered', attempts: 1 }]);
});

t.test('never lost: a delivery that cannot be made (no IDNST, SAS down) waits and goes once possible', async (t) => {
  const s = await setup(t, 1);
  await sql`update territories set organisation_identifier = null`.execute(s.db);
  const sas = await sasPlatform(t, 0);
  const service = await startTestService(t, s.database.url, env(sas.url));
  const regulator = await tokenFor(s.db, 'regulator', ['terr-a']);
  const created = await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: s.ids[0], patient } });
  t.equal(created.status, 201, created.text);
  const id = created.json.booking.id as string;
  await until('a few failed attempts', async () => ((await deliveryRows(s.db, id))[0]?.attempts ?? 0) >= 2);
  t.equal(sas.received.length, 0, 'nothing sent without an operator to name');
  const row = (await sql<{ status: string; last_error: string }>`select status, last_error from sas_deliveries where booking_id = ${id}`.execute(s.db)).rows[0]!;
  t.equal(row.status, 'pending', 'still pending');
  t.match(row.last_error, /IDNST/, 'with the reason recorded');
  await sql`update territories set organisation_identifier = '1690000010'`.execute(s.db);
  await until('delivered once the CPTS has its IDNST', () => sas.received.length === 1, 30_000);
  t.equal(sas.received[0]!.body.status, 'booked');
});

t.test('two instances share the outbox: every state delivered exactly once', async (t) => {
  const s = await setup(t, 20);
  const sas = await sasPlatform(t, 0, 15);
  const [one, two] = await Promise.all([startTestService(t, s.database.url, env(sas.url)), startTestService(t, s.database.url, env(sas.url))]);
  await Promise.all([one.sync.catchUp(), two.sync.catchUp()]);
  const regulator = await tokenFor(s.db, 'regulator', ['terr-a']);
  const booked = await Promise.all(s.ids.map((slotId, i) => http(i % 2 === 0 ? one : two, 'POST', '/v1/bookings', {
    token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId, patient },
  })));
  t.ok(booked.every((r) => r.status === 201), '20 bookings');
  const ids = booked.map((r) => r.json.booking.id as string);
  await Promise.all(ids.slice(0, 10).map((id, i) => http(i % 2 === 0 ? two : one, 'POST', `/v1/bookings/${id}/cancel`, { token: regulator.token, body: {} })));
  await until('30 states accepted', () => sas.received.length >= 30, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(sas.received.length, 30, '20 booked + 10 cancelled, no more');
  const seen = new Map<string, string[]>();
  for (const r of sas.received) seen.set(r.identifier, [...(seen.get(r.identifier) ?? []), r.status]);
  t.same([...seen.values()].filter((states) => states.length === 2), Array.from({ length: 10 }, () => ['booked', 'cancelled']), 'each cancelled booking: booked, then cancelled');
  t.equal([...seen.values()].filter((states) => states.length === 1 && states[0] === 'booked').length, 10, 'each other booking: booked once');
  const pending = (await sql<{ n: number }>`select count(*)::int as n from sas_deliveries where status <> 'delivered'`.execute(s.db)).rows[0]!.n;
  t.equal(pending, 0, 'all recorded as delivered');
});
