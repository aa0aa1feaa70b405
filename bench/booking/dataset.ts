// Fresh bookable slots for the booking benchmark: one territory, `professionals`
// GPs with a site each, `slotsPerProfessional` consecutive future slots each
// (all inside the index window, like slots a regulator just matched).
import { sql, type Kysely } from 'kysely';
import { rppsFromPrefix } from '../../src/core/rpps.js';
import type { Database } from '../../src/db/schema.js';

export const BENCH_TERRITORY = 'bench-territory';
const COMMUNE = { code: '69259', name: 'Vénissieux', lat: 45.6975, lon: 4.8867 };

export async function createBookableSlots(db: Kysely<Database>, professionals: number, slotsPerProfessional: number, slotMinutes = 15): Promise<string[]> {
  await db.insertInto('territories').values({ id: BENCH_TERRITORY, name: 'Bench', time_zone: 'Europe/Paris', organisation_identifier: null }).execute();
  await db.insertInto('communes').values({ ...COMMUNE, population: 65_000 }).execute();
  await db.insertInto('territory_communes').values({ territory_id: BENCH_TERRITORY, commune_code: COMMUNE.code }).execute();
  const pros = await sql<{ id: string }>`
    insert into professionals (rpps, territory_id, family_name, given_name, profession)
    select r, ${BENCH_TERRITORY}, 'Bench' || i, 'Doctor', 'gp' from unnest(${Array.from({ length: professionals }, (_, i) => rppsFromPrefix(String(2_000_000_000 + i)))}::text[]) with ordinality as u(r, i)
    returning id`.execute(db);
  const ids = pros.rows.map((p) => p.id);
  const sites = await sql<{ id: string; professional_id: string }>`
    insert into sites (professional_id, commune_code, lat, lon)
    select p, ${COMMUNE.code}, ${COMMUNE.lat} + (random() - 0.5) / 50, ${COMMUNE.lon} + (random() - 0.5) / 50 from unnest(${ids}::uuid[]) as p
    returning id, professional_id`.execute(db);
  const start = Math.ceil((Date.now() + 10 * 60_000) / 60_000) * 60_000;
  const slots = await sql<{ id: string }>`
    insert into slots (professional_id, site_id, territory_id, starts_at, ends_at, modality)
    select s.professional_id, s.id, ${BENCH_TERRITORY},
           to_timestamp(${start / 1000}::float8) + (k * ${slotMinutes}::int) * interval '1 minute',
           to_timestamp(${start / 1000}::float8) + ((k + 1) * ${slotMinutes}::int) * interval '1 minute', 'office'
      from unnest(${sites.rows.map((s) => s.id)}::uuid[], ${sites.rows.map((s) => s.professional_id)}::uuid[]) as s(id, professional_id)
      cross join generate_series(0, ${slotsPerProfessional - 1}::int) as k
    returning id`.execute(db);
  await sql`analyze`.execute(db);
  // Shuffled, so consecutive requests hit different professionals, as real traffic does.
  const out = slots.rows.map((s) => s.id);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * What a CPTS that has been running holds: `bookings` past bookings of the
 * bench's professionals (a past slot each, booked), each with its event
 * (acknowledged), its SAS delivery (delivered), its audit row, and the last
 * day's idempotency keys; then VACUUM ANALYZE and a checkpoint, as autovacuum and time would have.
 *
 * Why a benchmark needs it: on empty bookings and events tables, the plans a
 * connection caches (foreign-key checks, prepared statements) are sequential
 * scans, right for an empty table, and they stay cached while the run fills
 * it, until autovacuum's first ANALYZE of the table (a minute or more). A run
 * that starts from empty tables measures that transient, not a service in use.
 */
export async function createBookingHistory(db: Kysely<Database>, clientId: string, bookings: number): Promise<void> {
  if (bookings <= 0) return;
  await sql`
    with pros as (
      select p.id as professional_id, (select s.id from sites s where s.professional_id = p.id limit 1) as site_id,
             row_number() over (order by p.id) - 1 as i, count(*) over () as n
        from professionals p where p.territory_id = ${BENCH_TERRITORY}
    ), past as (
      -- Booking k goes to professional k mod n, on its own quarter-hour, going back from yesterday.
      insert into slots (professional_id, site_id, territory_id, starts_at, ends_at, modality, status)
      select p.professional_id, p.site_id, ${BENCH_TERRITORY},
             date_trunc('day', now()) - (k / p.n + 1) * interval '15 minutes',
             date_trunc('day', now()) - (k / p.n) * interval '15 minutes', 'office', 'booked'
        from generate_series(0, ${bookings - 1}::int) as k join pros p on p.i = k % p.n
      returning id, professional_id, starts_at, ends_at
    )
    insert into bookings (slot_id, professional_id, territory_id, client_id, starts_at, ends_at, patient, created_at, acked_at)
    select id, professional_id, ${BENCH_TERRITORY}, ${clientId}::uuid, starts_at, ends_at,
           '{"name": "J. D.", "phone": "+33 6 12 34 56 78"}', starts_at - interval '1 day', starts_at - interval '23 hours'
      from past`.execute(db);
  await sql`
    insert into events (recipient_kind, recipient_id, type, booking_id, payload, created_at, acked_at)
    select 'professional', b.professional_id::text, 'booking.created', b.id, jsonb_build_object('bookingId', b.id), b.created_at, b.acked_at
      from bookings b where b.territory_id = ${BENCH_TERRITORY} order by b.created_at`.execute(db);
  await sql`update sas_deliveries set status = 'delivered', delivered_at = now(), attempts = 1 where status = 'pending'`.execute(db);
  await sql`
    insert into audit_log (at, client_id, request_id, action, entity, entity_id, details)
    select b.created_at, b.client_id, gen_random_uuid()::text, 'booking.create', 'booking', b.id::text, '{}'
      from bookings b where b.territory_id = ${BENCH_TERRITORY}`.execute(db);
  // Idempotency keys live a day (src/db/housekeeping.ts): a day's share of the history.
  await sql`
    insert into idempotency_keys (client_id, key, request_hash, response_status, response_body, created_at)
    select ${clientId}::uuid, gen_random_uuid()::text, '\\x00', 201, '{}', now() - random() * interval '1 day'
      from generate_series(1, ${Math.max(1, Math.round(bookings / 90))}::int)`.execute(db);
  // Vacuumed, analysed and checkpointed: the measured window must not pay for
  // the fixture's own writes (autovacuum of 100,000 fresh rows, full-page images
  // after the next checkpoint), which a CPTS in use paid for long ago.
  await sql`vacuum analyze`.execute(db);
  await sql`checkpoint`.execute(db);
}
