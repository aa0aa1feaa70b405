// Bookings nobody acknowledged: after the territory's deadline the
// coordinators and the requester are told, once, whatever the number of
// instances running the job; the booking is flagged.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import t from 'tap';
import pg from 'pg';
import { escalateOverdue } from '../src/db/outbox/escalation.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { PATIENT } from './helpers/patients.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

const ENV = { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' };
const patient = { ...PATIENT, age: 61 };

t.test('after the deadline: one escalation per unacknowledged booking, to the coordinators and the requester, across racing instances', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  await db.db.updateTable('territories').set({ ack_deadline_seconds: 30 }).where('id', '=', 'terr-a').execute();
  const slots = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 4 });
  const [a, b] = await Promise.all([startTestService(t, db.url, ENV), startTestService(t, db.url, ENV)]);
  await Promise.all([a.sync.catchUp(), b.sync.catchUp()]);
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a']);
  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps);

  const counter = await TestSocket.open(b.url, '/v1/ws/counter', pharmacist.token);
  const coordination = await TestSocket.open(a.url, '/v1/ws/coordinator', coordinator.token);
  const professional = await TestSocket.open(a.url, '/v1/ws/professional', proToken.token);
  t.teardown(async () => { await counter.close(); await coordination.close(); await professional.close(); });
  await Promise.all([counter, coordination, professional].map((s) => s.waitFor((m) => m.type === 'ready')));

  const booked: string[] = [];
  for (const [i, slotId] of slots.entries()) {
    const answer = await counter.request({ id: `b${i}`, type: 'book', idempotencyKey: randomUUID(), body: { slotId, patient } });
    booked.push(answer.result.booking.id as string);
  }
  // The professional acks booking 0; booking 1 is cancelled: neither is escalated.
  const first = await professional.waitFor((m) => m.type === 'booking.created' && m.booking.id === booked[0]);
  await professional.request({ id: 'ack', type: 'ack', eventId: first.eventId });
  await counter.request({ id: 'c', type: 'cancel', body: { bookingId: booked[1] } });

  const early = await escalateOverdue(a.prepared.database.pool, new Date(Date.now() + 20_000));
  t.same(early, [], 'nothing before the deadline');

  // Every instance (and a third pool) runs the job at once, repeatedly.
  const extra = new pg.Pool({ connectionString: db.url, max: 4 });
  const later = new Date(Date.now() + 31_000);
  const runs = await Promise.all([a.prepared.database.pool, b.prepared.database.pool, extra]
    .flatMap((pool) => Array.from({ length: 4 }, () => escalateOverdue(pool, later))));
  await extra.end();
  const escalated = runs.flat();
  t.same(escalated.sort(), [booked[2], booked[3]].sort(), 'exactly the two unacknowledged live bookings, once each');

  const flagged = await db.db.selectFrom('bookings').select(['id', 'escalated_at']).where('escalated_at', 'is not', null).execute();
  t.same(flagged.map((r) => r.id).sort(), [booked[2], booked[3]].sort(), 'flagged escalated_at');
  const events = await db.db.selectFrom('events').select(['recipient_kind', 'recipient_id', 'seq', 'booking_id'])
    .where('type', '=', 'booking.unacknowledged').orderBy('id').execute();
  t.equal(events.length, 4, 'one event for the territory and one for the requester, per booking');

  await coordination.waitFor(() => coordination.events('booking.unacknowledged').length === 2, 5_000, 'two escalations for the coordinators');
  const toCoordinators = coordination.events('booking.unacknowledged');
  t.same(toCoordinators.map((m) => m.eventId), [1, 2], 'the territory stream: eventIds 1, 2');
  t.same(toCoordinators.map((m) => m.booking.id).sort(), [booked[2], booked[3]].sort());
  t.equal(toCoordinators[0].ackDeadlineSeconds, 30);
  t.notOk('patient' in toCoordinators[0].booking, 'no patient details in an escalation');
  await counter.waitFor(() => counter.events('booking.unacknowledged').length === 2, 5_000, 'two escalations for the requester');
  t.same(counter.events('booking.unacknowledged').map((m) => m.booking.id).sort(), [booked[2], booked[3]].sort(), 'the requester is told on its counter');

  const again = await escalateOverdue(a.prepared.database.pool, new Date(Date.now() + 3_600_000));
  t.same(again, [], 'never twice');
  t.equal((await coordination.request({ id: 1, type: 'ack', eventId: 1 })).ok, true, 'coordinators ack like professionals');
});

t.test('the service escalates by itself: a booking older than the default 10-minute deadline', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const [slot] = await addSlots(db.db, w.b.pros[0]!, { start: soon(), count: 1 });
  const service = await startTestService(t, db.url, { ...ENV, ESCALATION_CHECK_MS: '200' });
  await service.sync.catchUp();
  const regulator = await tokenFor(db.db, 'regulator', ['terr-b']);
  const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a', 'terr-b']);
  const refused = await TestSocket.open(service.url, '/v1/ws/coordinator', coordinator.token).catch((e) => e);
  t.equal(refused.status, 400, 'a coordinator of several territories names one');
  const coordination = await TestSocket.open(service.url, '/v1/ws/coordinator?territory=terr-b', coordinator.token);
  t.teardown(() => coordination.close());
  const booking = await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: slot, patient } });
  t.equal(booking.status, 201);
  // Eleven minutes ago, as far as the job can tell.
  await db.db.updateTable('bookings').set({ created_at: sql<Date>`now() - interval '11 minutes'` }).execute();
  const escalation = await coordination.waitFor((m) => m.type === 'booking.unacknowledged', 5_000);
  t.equal(escalation.booking.id, booking.json.booking.id);
  t.equal(escalation.ackDeadlineSeconds, 600);
});
