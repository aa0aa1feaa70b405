// Turns active on-call bands into slot rows over the rolling horizon.
// Idempotent: a slot already there (same band and start) or one that would
// overlap another slot of the professional is left alone. A band edited or
// cancelled while a run cuts it is not materialised from its old rule: each
// insert re-reads the band under a share lock (it waits for the edit's
// transaction) and keeps only the rows of a band still as it was read.
import { sql, type Kysely } from 'kysely';
import { materialiseBand } from '../core/time/index.js';
import type { Database } from './schema.js';

export interface MaterialiseOptions {
  from: Date;
  until: Date;
  /** Only these bands (after a band is created or changed); all active bands when absent. */
  bandIds?: readonly string[];
  /** Aborted: stop between batches (a shutdown must not wait for a whole horizon; the next run resumes). */
  signal?: AbortSignal;
}

const BATCH = 5_000;
/** The band's rule as one value, compared when inserting (sql/001 oncall_bands). */
const RULE_OF_B = sql`md5(row(b.site_id, b.days_of_week, b.local_start, b.local_end, b.slot_minutes, b.modality, b.valid_from, b.valid_until)::text)`;

interface SlotRow { professional: string; site: string; territory: string; band: string; start: Date; end: Date; modality: string; rule: string }

export async function materialiseSlots(db: Kysely<Database>, options: MaterialiseOptions): Promise<{ bands: number; inserted: number }> {
  let query = db.selectFrom('oncall_bands as b')
    .innerJoin('professionals as p', 'p.id', 'b.professional_id')
    .innerJoin('territories as t', 't.id', 'p.territory_id')
    .select(['b.id', 'b.professional_id', 'b.site_id', 'b.days_of_week', 'b.local_start', 'b.local_end',
      'b.slot_minutes', 'b.modality', 'b.valid_from', 'b.valid_until', 'p.territory_id', 't.time_zone'])
    .select(sql<string>`${RULE_OF_B}`.as('rule'))
    .where('b.active', '=', true)
    .where('p.active', '=', true);
  if (options.bandIds !== undefined) {
    if (options.bandIds.length === 0) return { bands: 0, inserted: 0 };
    query = query.where('b.id', 'in', options.bandIds);
  }
  const bands = await query.execute();

  // Skip what is already there before inserting: a conflicting insert costs an
  // exclusion-constraint probe per row, a read of the existing keys does not.
  const existing = new Set<string>();
  if (bands.length > 0) {
    const rowsThere = await db.selectFrom('slots').select(['band_id', 'starts_at'])
      .where('band_id', 'in', bands.map((b) => b.id))
      .where('starts_at', '>=', options.from).where('starts_at', '<', options.until).execute();
    for (const row of rowsThere) existing.add(`${row.band_id}|${row.starts_at.getTime()}`);
  }

  const rows: SlotRow[] = [];
  let inserted = 0;
  for (const band of bands) {
    const intervals = materialiseBand({
      daysOfWeek: band.days_of_week,
      localStart: band.local_start.slice(0, 5),
      localEnd: band.local_end.slice(0, 5),
      slotMinutes: band.slot_minutes,
      validFrom: band.valid_from,
      validUntil: band.valid_until,
    }, band.time_zone, options.from, options.until);
    for (const interval of intervals) {
      if (existing.has(`${band.id}|${interval.start.getTime()}`)) continue;
      rows.push({ professional: band.professional_id, site: band.site_id, territory: band.territory_id, band: band.id, start: interval.start, end: interval.end, modality: band.modality, rule: band.rule });
    }
    if (options.signal?.aborted) return { bands: bands.length, inserted };
    if (rows.length >= BATCH) inserted += await insertBatch(db, rows.splice(0));
  }
  if (rows.length > 0 && !options.signal?.aborted) inserted += await insertBatch(db, rows.splice(0));
  return { bands: bands.length, inserted };
}

async function insertBatch(db: Kysely<Database>, rows: SlotRow[]): Promise<number> {
  // unnest() sends one statement per batch instead of one per slot. The share lock on each band of the batch waits for
  // its edit or cancellation in progress (which holds the band FOR UPDATE); the band is then re-read, and a band whose
  // rule changed, or that was cancelled, inserts nothing.
  const rules = new Map(rows.map((r) => [r.band, r.rule]));
  const result = await sql<{ count: number }>`
    with unchanged as (
      select b.id from oncall_bands b join unnest(${[...rules.keys()]}::uuid[], ${[...rules.values()]}::text[]) as x(id, rule) on x.id = b.id
      where b.active and ${RULE_OF_B} = x.rule
      for share of b),
    inserted as (
      insert into slots (professional_id, site_id, territory_id, band_id, starts_at, ends_at, modality)
      select * from unnest(
        ${rows.map((r) => r.professional)}::uuid[], ${rows.map((r) => r.site)}::uuid[],
        ${rows.map((r) => r.territory)}::text[], ${rows.map((r) => r.band)}::uuid[],
        ${rows.map((r) => r.start.toISOString())}::timestamptz[], ${rows.map((r) => r.end.toISOString())}::timestamptz[],
        ${rows.map((r) => r.modality)}::text[]) as r(professional_id, site_id, territory_id, band_id, starts_at, ends_at, modality)
      where r.band_id in (select id from unchanged)
      on conflict do nothing
      returning 1)
    select count(*)::int as count from inserted`.execute(db);
  return result.rows[0]?.count ?? 0;
}
