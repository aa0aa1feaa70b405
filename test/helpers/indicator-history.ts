// A known history around the 2026-10-25 DST change in Paris (clocks go back
// from 03:00 CEST to 02:00 CET at 01:00Z; the local day runs from
// 2026-10-24T22:00Z to 2026-10-25T23:00Z, 25 hours), written with Kysely at
// fixed instants, for checking every indicator by hand. See the comments for
// the expected figures; test/indicators.test.ts asserts them.
import type { Kysely } from 'kysely';
import type { Orientation } from '../../src/core/domain.js';
import type { Role } from '../../src/usecases/client.js';
import type { Database } from '../../src/db/schema.js';
import { addProfessional, COMMUNES, tokenFor, world, type ProfessionalFixture } from './fixtures.js';

const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);

export interface History {
  clients: Record<'regulator' | 'pharmacist' | 'coordinator' | 'coordinatorB' | 'pharmacistB', { id: string; token: string }>;
}

interface RequestSpec {
  client: { id: string };
  origin: Role;
  territory: string | null;
  createdAt: string;
  orientation: Orientation | null;
  maxDelay: number | null;
  outcome: string;
}

async function addRequest(db: Kysely<Database>, r: RequestSpec): Promise<string> {
  const row = await db.insertInto('requests').values({
    territory_id: r.territory, client_id: r.client.id, origin: r.origin as 'regulator', commune_code: null,
    patient: JSON.stringify({ age: 40, sex: 'female' }), complaint: 'fever', red_flags: [], triage: null,
    orientation: r.orientation, max_delay_minutes: r.maxDelay, outcome: r.outcome, candidates_count: r.outcome === 'candidates' ? 3 : 0,
    created_at: at(r.createdAt),
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** An ad-hoc slot (no band: outside the fill rate) of `pro` and a booking of it. */
async function addAppointment(db: Kysely<Database>, pro: ProfessionalFixture, spec: {
  clientId: string; requestId: string | null; start: Date; status: 'booked' | 'cancelled' | 'no-show' | 'honoured';
}): Promise<void> {
  const end = new Date(spec.start.getTime() + 20 * MINUTE);
  const slot = await db.insertInto('slots').values({
    professional_id: pro.id, site_id: pro.siteId, territory_id: pro.territoryId, band_id: null, starts_at: spec.start, ends_at: end,
    modality: 'office', status: spec.status === 'cancelled' ? 'free' : 'booked',
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('bookings').values({
    slot_id: slot.id, professional_id: pro.id, territory_id: pro.territoryId, client_id: spec.clientId, request_id: spec.requestId, hold_id: null,
    status: spec.status, starts_at: spec.start, ends_at: end, patient: null, patient_purged_at: null,
    cancelled_at: spec.status === 'cancelled' ? spec.start : null, cancelled_by: null, cancel_reason: null, acked_at: null, escalated_at: null,
  }).execute();
}

/** Band slots of `pro` at the given instants with the given statuses. */
async function addBandSlots(db: Kysely<Database>, pro: ProfessionalFixture, slots: [string, 'free' | 'held' | 'booked' | 'blocked'][]): Promise<void> {
  const band = await db.insertInto('oncall_bands').values({
    professional_id: pro.id, site_id: pro.siteId, days_of_week: [1, 2, 3, 4, 5, 6, 7], local_start: '00:00', local_end: '24:00',
    slot_minutes: 20, modality: 'office', valid_from: '2026-10-01', valid_until: '2026-10-31',
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('slots').values(slots.map(([start, status]) => ({
    professional_id: pro.id, site_id: pro.siteId, territory_id: pro.territoryId, band_id: band.id,
    starts_at: at(start), ends_at: new Date(at(start).getTime() + 20 * MINUTE), modality: 'office' as const, status,
    held_until: status === 'held' ? new Date(Date.now() + 3_600_000) : null,
  }))).execute();
}

export async function buildHistory(db: Kysely<Database>): Promise<History> {
  const w = await world(db, { prosPerTerritory: 2 });
  const gp = w.a.pros[0]!;
  const booked = w.a.pros[1]!; // holds the ad-hoc slots of the bookings
  const nurse = await addProfessional(db, { territoryId: 'terr-a', commune: COMMUNES.venissieux, profession: 'nurse' });
  const physio = await addProfessional(db, { territoryId: 'terr-a', commune: COMMUNES.venissieux, profession: 'physio' });
  const clients = {
    regulator: await tokenFor(db, 'regulator', ['terr-a']),
    pharmacist: await tokenFor(db, 'pharmacist', ['terr-a']),
    coordinator: await tokenFor(db, 'coordinator', ['terr-a']),
    coordinatorB: await tokenFor(db, 'coordinator', ['terr-b']),
    pharmacistB: await tokenFor(db, 'pharmacist', ['terr-b']),
  };
  const { regulator, pharmacist, coordinator, pharmacistB } = clients;
  const req = (client: { id: string }, origin: Role, createdAt: string, orientation: Orientation | null, maxDelay: number | null, outcome: string, territory: string | null = 'terr-a') =>
    addRequest(db, { client, origin, territory, createdAt, orientation, maxDelay, outcome });
  const after = (iso: string, minutes: number) => new Date(at(iso).getTime() + minutes * MINUTE);

  // The local day 2026-10-25 of terr-a: R1–R10 and a request booked 31 days later.
  const r1 = await req(regulator, 'regulator', '2026-10-24T22:00:00Z', 'book', 1440, 'candidates'); // local midnight: inside
  await addAppointment(db, booked, { clientId: regulator.id, requestId: r1, start: after('2026-10-24T22:00:00Z', 60), status: 'honoured' }); // delay 60
  const r2 = await req(regulator, 'regulator', '2026-10-25T00:30:00Z', 'book', 240, 'candidates'); // 02:30 CEST
  await addAppointment(db, booked, { clientId: regulator.id, requestId: r2, start: after('2026-10-25T00:30:00Z', 300), status: 'no-show' }); // 300 > 240
  const r3 = await req(pharmacist, 'pharmacist', '2026-10-25T01:30:00Z', 'book', 2880, 'candidates'); // 02:30 CET, the repeated hour
  await addAppointment(db, booked, { clientId: pharmacist.id, requestId: r3, start: after('2026-10-25T01:30:00Z', 3000), status: 'booked' }); // beyond 48 h
  const r4 = await req(pharmacist, 'pharmacist', '2026-10-25T10:00:00Z', 'book', 1440, 'candidates');
  await addAppointment(db, booked, { clientId: pharmacist.id, requestId: r4, start: after('2026-10-25T10:00:00Z', 120), status: 'cancelled' }); // not booked
  const r5 = await req(coordinator, 'coordinator', '2026-10-25T12:00:00Z', 'book', 1440, 'candidates');
  await addAppointment(db, booked, { clientId: coordinator.id, requestId: r5, start: after('2026-10-25T12:00:00Z', 100), status: 'cancelled' }); // ignored
  await addAppointment(db, booked, { clientId: coordinator.id, requestId: r5, start: after('2026-10-25T12:00:00Z', 1500), status: 'no-show' }); // delay 1500
  await req(regulator, 'regulator', '2026-10-25T15:00:00Z', 'book', 1440, 'no-slot');
  await req(pharmacist, 'pharmacist', '2026-10-25T16:00:00Z', 'book', 1440, 'no-eligible-profession');
  await req(pharmacist, 'pharmacist', '2026-10-25T17:00:00Z', 'book', 1440, 'out-of-territory', null); // counted for the client's territory
  await req(regulator, 'regulator', '2026-10-25T18:00:00Z', 'call-15', 0, 'call-15');
  const late = await req(regulator, 'regulator', '2026-10-25T19:00:00Z', 'book', 1440, 'candidates');
  await addAppointment(db, booked, { clientId: regulator.id, requestId: late, start: after('2026-10-25T19:00:00Z', 31 * 1440), status: 'booked' }); // 31 days: no answer
  await req(pharmacist, 'pharmacist', '2026-10-25T22:59:59Z', 'pharmacy-protocol', null, 'pharmacy-protocol'); // 23:59:59 CET: inside

  // Outside the day: 23:59:59 CEST on the 24th (same ISO week) and 00:00 CET on the 26th (same month).
  await req(regulator, 'regulator', '2026-10-24T21:59:59Z', 'book', 1440, 'no-slot');
  const r11 = await req(regulator, 'regulator', '2026-10-25T23:00:00Z', 'book', 1440, 'candidates');
  await addAppointment(db, booked, { clientId: regulator.id, requestId: r11, start: after('2026-10-25T23:00:00Z', 30), status: 'booked' });
  // Other territory: neither its requests nor its clients' out-of-territory requests count for terr-a.
  await req(pharmacistB, 'pharmacist', '2026-10-25T12:00:00Z', 'book', 1440, 'no-slot', 'terr-b');
  await req(pharmacistB, 'pharmacist', '2026-10-25T12:00:00Z', 'book', 1440, 'out-of-territory', null);

  // Appointments without a request (e.g. booked through FHIR) inside and at the end of the day.
  await addAppointment(db, booked, { clientId: coordinator.id, requestId: null, start: at('2026-10-25T14:00:00Z'), status: 'booked' });
  await addAppointment(db, booked, { clientId: coordinator.id, requestId: null, start: at('2026-10-25T22:30:00Z'), status: 'honoured' });
  await addAppointment(db, w.b.pros[0]!, { clientId: pharmacistB.id, requestId: null, start: at('2026-10-25T14:00:00Z'), status: 'cancelled' });

  // Band slots: GP 14:00–16:00 CET on the 25th; nurse three booked; physio in
  // both 02:30s, plus one on the 24th (outside).
  await addBandSlots(db, gp, [
    ['2026-10-25T13:00:00Z', 'booked'], ['2026-10-25T13:20:00Z', 'booked'], ['2026-10-25T13:40:00Z', 'free'],
    ['2026-10-25T14:00:00Z', 'free'], ['2026-10-25T14:20:00Z', 'blocked'], ['2026-10-25T14:40:00Z', 'held'],
  ]);
  await addBandSlots(db, nurse, [['2026-10-25T08:00:00Z', 'booked'], ['2026-10-25T08:20:00Z', 'booked'], ['2026-10-25T08:40:00Z', 'booked']]);
  await addBandSlots(db, physio, [['2026-10-24T21:40:00Z', 'booked'], ['2026-10-25T00:30:00Z', 'free'], ['2026-10-25T01:30:00Z', 'booked']]);
  await addBandSlots(db, w.b.pros[0]!, [['2026-10-25T13:00:00Z', 'booked']]);
  return { clients };
}
