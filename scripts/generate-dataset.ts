// Builds a national-scale synthetic data set in PostgreSQL for the benchmarks:
// N territories, P professionals (one site each), S free slots spread over the
// next 48 hours in 20-minute steps. Runs in the database (generate_series) so a
// million slots take seconds of transfer, not minutes.
//
//   node --import tsx scripts/generate-dataset.ts [--territories 500] [--professionals 50000] [--slots 1000000]
// (uses DATABASE_URL, or the embedded server under DATA_DIR, like the service)
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { PROFESSIONS } from '../src/core/domain.js';
import { rppsFromPrefix } from '../src/core/rpps.js';
import type { Database } from '../src/db/schema.js';

export interface DatasetSize { territories: number; professionals: number; slots: number }

export interface Dataset extends DatasetSize {
  territoryIds: string[];
  /** One commune per territory, with its centre. */
  communes: { code: string; territoryId: string; lat: number; lon: number }[];
  rpps: string[];
}

const SKILLS = ['paediatrics', 'sutures', 'ecg', 'wound-care', 'rapid-strep-test'];
// Mostly GPs, nurses and physios, as in a real CPTS roster.
const PROFESSION_WEIGHTS: [string, number][] = [['gp', 40], ['nurse', 30], ['physio', 20], ['midwife', 4], ['paediatrician', 4], ['dentist', 1], ['pharmacist', 1]];

function professionFor(i: number): string {
  const total = PROFESSION_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  let r = (i * 7919) % total;
  for (const [p, w] of PROFESSION_WEIGHTS) { if (r < w) return p; r -= w; }
  return 'gp';
}

export async function generateDataset(db: Kysely<Database>, size: DatasetSize): Promise<Dataset> {
  const territoryIds = Array.from({ length: size.territories }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
  const communes = territoryIds.map((territoryId, i) => ({
    code: String(80000 + i).padStart(5, '0'), territoryId,
    // Spread over metropolitan France.
    lat: 43 + (i * 37 % 700) / 100, lon: -1 + (i * 53 % 800) / 100,
  }));
  await db.insertInto('territories').values(territoryIds.map((id, i) => ({
    id, name: `Bench ${i}`, time_zone: i % 50 === 0 ? 'Indian/Reunion' : 'Europe/Paris', organisation_identifier: null,
  }))).onConflict((oc) => oc.doNothing()).execute();
  await db.insertInto('communes').values(communes.map((c) => ({ code: c.code, name: `Commune ${c.code}`, population: 20_000, lat: c.lat, lon: c.lon })))
    .onConflict((oc) => oc.doNothing()).execute();
  await db.insertInto('territory_communes').values(communes.map((c) => ({ territory_id: c.territoryId, commune_code: c.code })))
    .onConflict((oc) => oc.doNothing()).execute();

  const rpps: string[] = [];
  const BATCH = 10_000;
  for (let from = 0; from < size.professionals; from += BATCH) {
    const rows = [];
    for (let i = from; i < Math.min(size.professionals, from + BATCH); i++) {
      const number = rppsFromPrefix(`18${String(i).padStart(8, '0')}`);
      rpps.push(number);
      const skills = SKILLS.filter((_, k) => (i >> k) % 3 === 0);
      rows.push({ rpps: number, territory: territoryIds[i % size.territories]!, profession: professionFor(i), skills: `{${skills.join(',')}}` });
    }
    await sql`insert into professionals (rpps, territory_id, family_name, given_name, profession, skills, modalities)
      select r, t, 'Bench', 'Pro', p, s::text[], '{office,home,video}'
      from unnest(${rows.map((r) => r.rpps)}::text[], ${rows.map((r) => r.territory)}::text[],
                  ${rows.map((r) => r.profession)}::text[], ${rows.map((r) => r.skills)}::text[]) as x(r, t, p, s)
      on conflict (rpps) do nothing`.execute(db);
  }
  // One site per professional, within ~5 km of its territory's commune.
  await sql`insert into sites (professional_id, commune_code, lat, lon)
    select p.id, tc.commune_code, c.lat + (random() - 0.5) * 0.09, c.lon + (random() - 0.5) * 0.12
    from professionals p
    join territory_communes tc on tc.territory_id = p.territory_id
    join communes c on c.code = tc.commune_code
    where p.rpps like '18%' and not exists (select 1 from sites s where s.professional_id = p.id)`.execute(db);

  // Each professional gets slotsPer consecutive 15-minute slots, 20 minutes apart,
  // from a random start in the next 40 hours: all within 48 h, never overlapping.
  const slotsPer = Math.max(1, Math.round(size.slots / size.professionals));
  await sql`insert into slots (professional_id, site_id, territory_id, starts_at, ends_at, modality)
    select p.id, s.id, p.territory_id,
           b.base + k * interval '20 minutes', b.base + k * interval '20 minutes' + interval '15 minutes',
           (array['office', 'office', 'home', 'video'])[1 + (k % 4)]
    from professionals p
    join sites s on s.professional_id = p.id
    cross join lateral (select date_trunc('minute', now()) + interval '15 minutes'
                               + (abs(hashtext(p.id::text)) % (40 * 60)) * interval '1 minute' as base) b
    cross join generate_series(0, ${slotsPer - 1}::int) as k
    where p.rpps like '18%'`.execute(db);
  await sql`analyze`.execute(db);
  return { ...size, territoryIds, communes, rpps };
}

/** A reproducible stream of realistic match queries over a generated data set. */
export function randomQueries(dataset: Dataset, count: number, seed = 42) {
  let state = seed >>> 0;
  const random = () => { state = (state * 1664525 + 1013904223) >>> 0; return state / 2 ** 32; };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const main = ['gp', 'nurse', 'physio'] as const;
  return Array.from({ length: count }, () => {
    const commune = pick(dataset.communes);
    const r = random();
    return {
      commune: commune.code,
      professions: r < 0.6 ? [pick(main)] : r < 0.9 ? [pick(main), pick(main)] : [...PROFESSIONS].slice(0, 3),
      ...(random() < 0.2 ? { skills: [pick(SKILLS)] } : {}),
      ...(random() < 0.2 ? { modalities: [pick(['office', 'home', 'video'] as const)] } : {}),
      ...(random() < 0.2 ? { near: { lat: commune.lat, lon: commune.lon }, maxDistanceKm: 3 } : {}),
      limit: 5,
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { territories: { type: 'string' }, professionals: { type: 'string' }, slots: { type: 'string' } } });
  const { runCli } = await import('../src/cli/run-cli.js');
  await runCli('generate-dataset', async ({ db }) => {
    const started = Date.now();
    const size = { territories: Number(values.territories ?? 500), professionals: Number(values.professionals ?? 50_000), slots: Number(values.slots ?? 1_000_000) };
    await generateDataset(db, size);
    process.stdout.write(`${JSON.stringify({ ...size, seconds: (Date.now() - started) / 1000 })}\n`);
  });
}
