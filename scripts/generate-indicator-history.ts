// A year of synthetic SNP history for one territory, to measure the indicators
// on realistic volumes: on-call bands (Monday–Saturday 14:00–20:00 Paris time,
// 20-minute slots, across both DST changes), booked, free and blocked slots,
// requests of every origin and outcome, bookings honoured or not, cancelled
// bookings. Written in the database with generate_series, so a year takes
// seconds. Then it times the indicators of the whole year and prints them.
//
//   node --import tsx scripts/generate-indicator-history.ts [--year 2025] [--professionals 40] [--territory history-cpts] [--measure-only]
// (uses DATABASE_URL, or the embedded server under DATA_DIR, like the service;
// the territory is replaced if it exists; --measure-only times what is there)
//
// Defaults give ~225,000 band slots, ~80,000 bookings and ~105,000 requests:
// the busy end of a CPTS's year (about 290 requests a day).
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { rppsFromPrefix } from '../src/core/rpps.js';
import { resolvePeriod, isPeriodProblem } from '../src/core/time/report-period.js';
import { createClient } from '../src/auth/clients.js';
import { readIndicators } from '../src/db/indicators/index.js';
import type { Database } from '../src/db/schema.js';

export interface HistoryOptions {
  territoryId: string;
  year: number;
  professionals: number;
  /** Share of band slots booked. */
  fill?: number;
  /** Requests a day that got no booking (call-15, pharmacy, no slot, …). */
  unansweredPerDay?: number;
}

export interface HistorySize { slots: number; bookings: number; requests: number; seconds: number }

const ZONE = 'Europe/Paris';
const PROFESSIONS = ['gp', 'gp', 'gp', 'gp', 'gp', 'nurse', 'nurse', 'nurse', 'physio', 'physio'] as const;

export async function generateIndicatorHistory(db: Kysely<Database>, options: HistoryOptions): Promise<HistorySize> {
  const started = performance.now();
  const { territoryId: t, year } = options;
  const fill = options.fill ?? 0.35;
  const unanswered = options.unansweredPerDay ?? 40;
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  await removeTerritory(db, t);
  await db.insertInto('territories').values({ id: t, name: `CPTS synthétique ${year}`, time_zone: ZONE, organisation_identifier: null }).execute();
  const commune = { code: '00100', name: 'Commune synthétique', lat: 45.7, lon: 4.89 };
  await db.insertInto('communes').values({ ...commune, population: 80_000 }).onConflict((oc) => oc.doNothing()).execute();
  await db.insertInto('territory_communes').values({ territory_id: t, commune_code: commune.code }).execute();
  const clients = {
    regulator: (await createClient(db, { role: 'regulator', territories: [t], name: 'history regulator' })).id,
    pharmacist: (await createClient(db, { role: 'pharmacist', territories: [t], name: 'history pharmacist' })).id,
    coordinator: (await createClient(db, { role: 'coordinator', territories: [t], name: 'history coordinator' })).id,
  };

  const rpps = Array.from({ length: options.professionals }, (_, i) => rppsFromPrefix(`17${String(year % 100).padStart(2, '0')}${String(i).padStart(6, '0')}`));
  const professions = rpps.map((_, i) => PROFESSIONS[i % PROFESSIONS.length]!);
  await sql`insert into professionals (rpps, territory_id, family_name, given_name, profession)
    select r, ${t}, 'Historique', 'Pro', p from unnest(${rpps}::text[], ${professions}::text[]) as x(r, p)`.execute(db);
  await sql`insert into sites (professional_id, commune_code, lat, lon)
    select id, ${commune.code}, ${commune.lat} + (random() - 0.5) * 0.05, ${commune.lon} + (random() - 0.5) * 0.05
      from professionals where territory_id = ${t}`.execute(db);
  await sql`insert into oncall_bands (professional_id, site_id, days_of_week, local_start, local_end, slot_minutes, modality, valid_from, valid_until)
    select p.id, s.id, '{1,2,3,4,5,6}', '14:00', '20:00', 20, 'office', ${from}::date, ${to}::date
      from professionals p join sites s on s.professional_id = p.id where p.territory_id = ${t}`.execute(db);
  // Local 14:00–20:00 on each band day, turned into instants in the zone (DST included).
  await sql`insert into slots (professional_id, site_id, territory_id, band_id, starts_at, ends_at, modality, status)
    select b.professional_id, b.site_id, ${t}, b.id,
           (d::date + time '14:00' + k * interval '20 minutes') at time zone ${ZONE},
           (d::date + time '14:00' + (k + 1) * interval '20 minutes') at time zone ${ZONE},
           'office',
           case when r.h < 0.03 then 'blocked' when r.h < 0.03 + ${fill}::float8 then 'booked' else 'free' end
      from oncall_bands b join professionals p on p.id = b.professional_id
     cross join generate_series(${from}::timestamp, ${to}::timestamp, interval '1 day') as d
     cross join generate_series(0, 17) as k
     cross join lateral (select random() + 0 * k as h) r
     where p.territory_id = ${t} and extract(isodow from d) <= 6`.execute(db);

  await db.transaction().execute(async (trx) => {
    // Every booked slot answers one request made 30 min to ~52 h before it.
    await sql`create temp table history_answers on commit drop as
      select gen_random_uuid() as request_id, s.id as slot_id, s.professional_id, s.starts_at, s.ends_at,
             s.starts_at - (30 + power(random(), 2) * 3100) * interval '1 minute' as created_at,
             random() as origin_draw, random() as delay_draw, random() as status_draw, s.status = 'free' as cancelled
        from slots s
       where s.territory_id = ${t} and s.band_id is not null
         and (s.status = 'booked' or (s.status = 'free' and random() < 0.08))`.execute(trx);
    await sql`insert into requests (id, territory_id, client_id, origin, patient, complaint, orientation, max_delay_minutes, outcome, candidates_count, created_at)
      select request_id, ${t},
             case when origin_draw < 0.55 then ${clients.regulator}::uuid when origin_draw < 0.9 then ${clients.pharmacist}::uuid else ${clients.coordinator}::uuid end,
             case when origin_draw < 0.55 then 'regulator' when origin_draw < 0.9 then 'pharmacist' else 'coordinator' end,
             '{}', 'fever', 'book',
             case when delay_draw < 0.3 then 240 when delay_draw < 0.8 then 1440 else 2880 end,
             'candidates', 5, created_at
        from history_answers`.execute(trx);
    await sql`insert into bookings (slot_id, professional_id, territory_id, client_id, request_id, status, starts_at, ends_at, created_at, cancelled_at)
      select a.slot_id, a.professional_id, ${t}, r.client_id, a.request_id,
             case when a.cancelled then 'cancelled' when a.status_draw < 0.92 then 'honoured' else 'no-show' end,
             a.starts_at, a.ends_at, a.created_at + interval '2 minutes',
             case when a.cancelled then a.created_at + interval '3 hours' end
        from history_answers a join requests r on r.id = a.request_id`.execute(trx);
  });

  // Requests that got no booking, spread over each day (local), of every other outcome.
  await sql`insert into requests (territory_id, client_id, origin, patient, complaint, orientation, max_delay_minutes, outcome, created_at)
    select case when o.outcome = 'out-of-territory' then null else ${t} end,
           case when r.a < 0.5 then ${clients.regulator}::uuid else ${clients.pharmacist}::uuid end,
           case when r.a < 0.5 then 'regulator' else 'pharmacist' end,
           '{}', 'other', o.orientation, o.max_delay, o.outcome,
           (d + r.b * interval '24 hours')::timestamp at time zone ${ZONE}
      from generate_series(${from}::timestamp, ${to}::timestamp, interval '1 day') as d
     cross join generate_series(1, ${unanswered}::int) as n
     cross join lateral (select random() + 0 * n as a, random() + 0 * n as b, random() + 0 * n as c) r
     cross join lateral (select case when r.c < 0.30 then 'no-slot' when r.c < 0.45 then 'call-15' when r.c < 0.80 then 'pharmacy-protocol'
                                     when r.c < 0.85 then 'no-eligible-profession' else 'out-of-territory' end as outcome) o0
     cross join lateral (select o0.outcome,
                                case o0.outcome when 'call-15' then 'call-15' when 'pharmacy-protocol' then 'pharmacy-protocol' else 'book' end as orientation,
                                case o0.outcome when 'call-15' then 0 when 'pharmacy-protocol' then null else 1440 end as max_delay) o`.execute(db);
  // A past year's rows are all-visible once autovacuum has passed: do it now,
  // so index-only scans see them as in production (and statistics are fresh).
  for (const table of ['slots', 'bookings', 'requests']) await sql`vacuum (analyze) ${sql.table(table)}`.execute(db);

  const counts = await sql<{ slots: number; bookings: number; requests: number }>`
    select (select count(*)::int from slots where territory_id = ${t}) as slots,
           (select count(*)::int from bookings where territory_id = ${t}) as bookings,
           (select count(*)::int from requests r where territory_id = ${t} or (territory_id is null and client_id in (${clients.regulator}::uuid, ${clients.pharmacist}::uuid))) as requests`.execute(db);
  return { ...counts.rows[0]!, seconds: (performance.now() - started) / 1000 };
}

/** Drops a territory generated before, with everything that points to it. */
async function removeTerritory(db: Kysely<Database>, t: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const clients = sql`(select id from api_clients where ${t} = any (territories))`;
    await sql`delete from audit_log where client_id in ${clients}`.execute(trx);
    await sql`delete from events where booking_id in (select id from bookings where territory_id = ${t})`.execute(trx);
    await sql`delete from bookings where territory_id = ${t}`.execute(trx);
    await sql`delete from holds where slot_id in (select id from slots where territory_id = ${t}) or client_id in ${clients}`.execute(trx);
    await sql`delete from idempotency_keys where client_id in ${clients}`.execute(trx);
    await sql`delete from requests where territory_id = ${t} or client_id in ${clients}`.execute(trx);
    await sql`delete from api_clients where ${t} = any (territories)`.execute(trx);
    await sql`delete from slots where territory_id = ${t}`.execute(trx);
    await sql`delete from professionals where territory_id = ${t}`.execute(trx);
    await sql`delete from territories where id = ${t}`.execute(trx);
  });
}

/** Times readIndicators over the whole year, `runs` times after one warm-up; milliseconds. */
export async function timeYearIndicators(db: Kysely<Database>, territoryId: string, year: number, runs: number): Promise<number[]> {
  const period = resolvePeriod({ kind: 'custom', from: `${year}-01-01`, to: `${year}-12-31` }, ZONE, Date.now());
  if (isPeriodProblem(period)) throw new Error(period.message);
  const scope = { territoryId, start: period.start, end: period.end };
  await readIndicators(db, scope);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await readIndicators(db, scope);
    times.push(performance.now() - t0);
  }
  return times;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { year: { type: 'string' }, professionals: { type: 'string' }, territory: { type: 'string' }, 'measure-only': { type: 'boolean' } } });
  const { runCli } = await import('../src/cli/run-cli.js');
  await runCli('generate-indicator-history', async ({ db }) => {
    const options = { territoryId: values.territory ?? 'history-cpts', year: Number(values.year ?? 2025), professionals: Number(values.professionals ?? 40) };
    if (values['measure-only'] !== true) {
      const size = await generateIndicatorHistory(db, options);
      process.stdout.write(`generated ${JSON.stringify({ ...options, ...size })}\n`);
    }
    const times = (await timeYearIndicators(db, options.territoryId, options.year, 10)).sort((a, b) => a - b);
    process.stdout.write(`indicators of ${options.year} for ${options.territoryId}: median ${times[5]!.toFixed(1)} ms, max ${times[9]!.toFixed(1)} ms over 10 runs (target < 500 ms)\n`);
  });
}
