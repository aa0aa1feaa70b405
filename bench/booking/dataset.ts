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
