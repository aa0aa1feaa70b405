// Retention (issue 15): every row holding patient-related data is cleared after
// PATIENT_RETENTION_DAYS. Data is made through the real API (a triage request,
// a booking with a patient, a FHIR appointment with a contained Patient, a
// cancel with a free-text reason, an admin block and an unavailability with
// reasons), aged past the retention period, purged; then every table of the
// database is read back whole and none of it may still hold the patient data.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import t from 'tap';
import type { Database } from '../src/db/schema.js';
import { expireIdempotencyKeys, purgeExpiredPatientData } from '../src/db/housekeeping.js';
import { EXTENSION, SYSTEM } from '../src/sas/resources/constants.js';
import { formatFhirInstant } from '../src/sas/resources/instant.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, COMMUNES, soon, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

const RETENTION_DAYS = 30;
const NAME = 'Zéphyrine Marqueur-Rétention';
const PHONE = '06 99 88 77 66';
const FHIR_FAMILY = 'Quasimodo-Retenu';
const FHIR_PHONE = '07 12 34 56 78';
const CANCEL_REASON = 'Raison libre mentionnant Mme Zéphyrine';
const BLOCK_REASON = 'Bloqué pour Mme Zéphyrine';
const UNAVAILABLE_REASON = 'Absent, voir Mme Zéphyrine';
const MARKERS = [NAME, PHONE, FHIR_FAMILY, FHIR_PHONE, CANCEL_REASON, BLOCK_REASON, UNAVAILABLE_REASON];
const idnpsType = { coding: [{ system: SYSTEM.identifierTypeV2, code: 'IDNPS' }] };

/** Every row of every table of the public schema, as JSON text, by table. */
async function everyRow(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
  const out = new Map<string, string[]>();
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select to_jsonb(t)::text as row from ${sql.table(table_name)} t`.execute(db);
    out.set(table_name, rows.rows.map((r) => r.row));
  }
  return out;
}

t.test('patient-related data of every table is gone once aged past the retention period', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  await sql`update territories set organisation_identifier = '1690000010'`.execute(db.db);
  const [pro, other] = w.a.pros as [typeof w.a.pros[0], typeof w.a.pros[0]];
  const service = await startTestService(t, db.url);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a']);
  const start = soon(120);
  const slots = await addSlots(db.db, pro!, { start, count: 4 });
  const otherSlots = await addSlots(db.db, other!, { start, count: 2 });

  // A triage request: age, sex, pregnancy, complaint, red flags.
  const request = await http(service, 'POST', '/v1/requests', { token: regulator.token,
    body: { patient: { age: 31, sex: 'female', pregnant: true }, complaint: 'urinary-burning', redFlags: ['fever-over-38'], commune: COMMUNES.venissieux.code } });
  t.equal(request.status, 200, 'a triage request');
  // A booking with a patient, then cancelled with a free-text reason.
  const booked = await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() },
    body: { slotId: slots[0], patient: { name: NAME, phone: PHONE }, requestId: request.json.request.id } });
  t.equal(booked.status, 201, 'a booking');
  const cancelled = await http(service, 'POST', `/v1/bookings/${booked.json.booking.id}/cancel`, { token: coordinator.token, body: { reason: CANCEL_REASON } });
  t.equal(cancelled.status, 200, 'cancelled by the coordinator with a reason');
  // A live booking with a patient.
  const live = await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() },
    body: { slotId: slots[1], patient: { name: NAME, phone: PHONE } } });
  t.equal(live.status, 201);
  // A FHIR appointment with a contained Patient.
  const fhir = await http(service, 'POST', '/fhir/Appointment', { token: regulator.token, headers: { 'content-type': 'application/fhir+json' }, body: {
    resourceType: 'Appointment',
    extension: [{ url: EXTENSION.appointmentOperator, valueReference: { identifier: { type: idnpsType, system: SYSTEM.idnps, value: '810100050075' } } }],
    contained: [{ resourceType: 'Patient', id: 'p', name: [{ family: FHIR_FAMILY, given: ['A'] }], telecom: [{ system: 'phone', value: FHIR_PHONE }], gender: 'female', birthDate: '1990-01-02' }],
    identifier: [{ system: 'urn:oid:1.2.250.1.213.1.6.4.2', value: 'retention-1' }], status: 'booked',
    start: formatFhirInstant(start + 2 * 20 * 60_000, 'Europe/Paris'), end: formatFhirInstant(start + 3 * 20 * 60_000, 'Europe/Paris'),
    participant: [{ actor: { identifier: { type: idnpsType, system: SYSTEM.idnps, value: `8${pro!.rpps}` } }, status: 'accepted' }, { actor: { reference: '#p' }, status: 'accepted' }],
  } });
  t.equal(fhir.status, 201, 'a FHIR appointment with a patient');
  // Admin reasons: a blocked slot, an unavailability that cancels a booking.
  t.equal((await http(service, 'POST', `/v1/admin/slots/${slots[3]}/block`, { token: coordinator.token, body: { reason: BLOCK_REASON } })).status, 200);
  const onOther = await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() },
    body: { slotId: otherSlots[0], patient: { name: NAME, phone: PHONE } } });
  t.equal(onOther.status, 201);
  const unavailable = await http(service, 'POST', `/v1/admin/professionals/${other!.id}/unavailable`, { token: coordinator.token,
    body: { until: new Date(start + 86_400_000).toISOString(), reason: UNAVAILABLE_REASON } });
  t.equal(unavailable.status, 200, 'an unavailability with a reason');

  const before = [...(await everyRow(db.db)).values()].flat().join('\n');
  for (const marker of MARKERS) t.ok(before.includes(marker), `before: "${marker}" is stored somewhere`);

  // Nothing is purged before its time.
  await purgeExpiredPatientData(db.db, RETENTION_DAYS);
  const untouched = await db.db.selectFrom('requests').select(['complaint', 'patient_purged_at']).executeTakeFirstOrThrow();
  t.equal(untouched.complaint, 'urinary-burning', 'a recent request keeps its complaint');

  // Aged past the retention period: every timestamp the purge looks at.
  const aged = sql`now() - make_interval(days => ${RETENTION_DAYS + 1})`;
  await sql`update bookings set starts_at = starts_at - make_interval(days => ${RETENTION_DAYS + 2}), ends_at = ends_at - make_interval(days => ${RETENTION_DAYS + 2}), created_at = ${aged}`.execute(db.db);
  await sql`update requests set created_at = ${aged}`.execute(db.db);
  await sql`update audit_log set at = ${aged}`.execute(db.db);
  await sql`update events set created_at = ${aged}`.execute(db.db);
  await sql`update idempotency_keys set created_at = ${aged}`.execute(db.db);

  const round = await purgeExpiredPatientData(db.db, RETENTION_DAYS);
  await expireIdempotencyKeys(db.db);
  t.ok(round.bookings >= 4 && round.requests === 1 && round.auditEntries >= 3 && round.events >= 1, `purged: ${JSON.stringify(round)}`);

  const after = await everyRow(db.db);
  for (const [table, rows] of after) {
    const text = rows.join('\n');
    for (const marker of MARKERS) t.notOk(text.includes(marker), `after: ${table} no longer holds "${marker}"`);
  }
  const requestRow = await db.db.selectFrom('requests').selectAll().executeTakeFirstOrThrow();
  t.same(requestRow.patient, {}, 'the request lost age, sex and pregnancy');
  t.equal(requestRow.complaint, null, 'its complaint');
  t.same(requestRow.red_flags, [], 'its red flags');
  t.equal(requestRow.triage, null, 'and its triage answer');
  t.ok(requestRow.patient_purged_at, 'and says when');
  t.ok(requestRow.orientation !== null && requestRow.outcome !== '', 'what the indicators count stays');
  const bookings = await db.db.selectFrom('bookings').select(['patient', 'cancel_reason', 'patient_purged_at']).execute();
  t.ok(bookings.every((b) => b.patient === null && b.cancel_reason === null && b.patient_purged_at !== null), 'no booking keeps a patient or a reason');
  const events = await sql<{ n: number }>`select count(*)::int as n from events where payload -> 'booking' ? 'patient' or payload ? 'reason' or payload -> 'booking' ? 'cancelReason'`.execute(db.db);
  t.equal(events.rows[0]!.n, 0, 'no outbox payload keeps a patient or a reason');

  const again = await purgeExpiredPatientData(db.db, RETENTION_DAYS);
  t.same(again, { bookings: 0, events: 0, requests: 0, auditEntries: 0 }, 'idempotent');
});
