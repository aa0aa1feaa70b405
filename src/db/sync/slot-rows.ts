// Reading open slots from PostgreSQL into the index's shapes. Professionals
// and sites are read once and shared by all their slots; slots stream in
// batches through a cursor so a million rows never sit in one result.
import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { Modality, Profession } from '../../core/domain.js';
import { UuidMap, type FreeSlot, type ProfessionalInfo, type SiteInfo } from '../../core/index/index.js';

/**
 * Open = free, or held by a hold that has expired (SPEC: an expired hold frees the slot by itself).
 * Instants as epoch milliseconds through date_part, which is float8 arithmetic:
 * extract() computes in numeric since PostgreSQL 14, about twice the cost per
 * value, paid three times per row of a million-slot load.
 */
export const SLOT_COLUMNS = `s.id, s.territory_id, s.professional_id, s.site_id, s.modality,
  date_part('epoch', s.starts_at) * 1000 as start_ms,
  date_part('epoch', s.ends_at) * 1000 as end_ms,
  s.status, date_part('epoch', s.held_until) * 1000 as held_until_ms, s.change_seq`;

export type SlotRow = [
  id: string, territoryId: string, professionalId: string, siteId: string, modality: string,
  startMs: number, endMs: number, status: string, heldUntilMs: number | null, changeSeq: number,
];

// territories: every CPTS the professional serves (migration 015), sorted so equal sets compare equal.
/** A professional as the directory reads it; a `where` on `p` may follow. */
export const PROFESSIONAL_COLUMNS = `select p.id, p.rpps, p.given_name, p.family_name, p.profession, p.skills,
    array(select pt.territory_id from professional_territories pt where pt.professional_id = p.id order by pt.territory_id) as territories
  from professionals p`;
export type ProfessionalRow = [id: string, rpps: string, givenName: string, familyName: string, profession: string, skills: string[], territories: string[]];

/** A site as the directory reads it; a `where` may follow. */
export const SITE_COLUMNS = 'select id, commune_code, lat, lon from sites';
export type SiteRow = [id: string, commune: string, lat: number, lon: number];

/** Shared, immutable ProfessionalInfo and SiteInfo objects by id. */
export class Directory {
  // By UUID text: each slot row names both, and a Map<string> would hash every freshly read id (uuid-map.ts).
  private readonly professionals = new UuidMap<ProfessionalInfo>();
  private readonly sites = new UuidMap<SiteInfo>();

  async loadAll(client: pg.ClientBase): Promise<void> {
    await this.loadProfessionals(client, null);
    await this.loadSites(client, null);
  }

  professional(id: string): ProfessionalInfo | undefined {
    return this.professionals.get(id);
  }

  site(id: string): SiteInfo | undefined {
    return this.sites.get(id);
  }

  private async loadProfessionals(client: pg.ClientBase, ids: string[] | null): Promise<void> {
    const result = await client.query<ProfessionalRow>({
      text: `${PROFESSIONAL_COLUMNS} ${ids === null ? '' : 'where p.id = any($1::uuid[])'}`,
      values: ids === null ? [] : [ids],
      rowMode: 'array',
    });
    this.applyProfessionals(result.rows);
  }

  private async loadSites(client: pg.ClientBase, ids: string[] | null): Promise<void> {
    const result = await client.query<SiteRow>({
      text: `${SITE_COLUMNS} ${ids === null ? '' : 'where id = any($1::uuid[])'}`,
      values: ids === null ? [] : [ids],
      rowMode: 'array',
    });
    this.applySites(result.rows);
  }

  /** Rows of PROFESSIONAL_COLUMNS, read by the caller (the index sync's one-message pass reads them with the slots). */
  applyProfessionals(rows: readonly ProfessionalRow[]): void {
    for (const [id, rpps, given, family, profession, skills, territories] of rows) {
      const known = this.professionals.get(id);
      const name = `${given} ${family}`;
      // Keep the old object when nothing changed: the index compares by identity.
      if (known !== undefined && known.rpps === rpps && known.name === name && known.profession === profession
        && sameStrings(known.skills, skills) && sameStrings(known.territories ?? [], territories)) continue;
      this.professionals.set(id, Object.freeze({
        id, rpps, name, profession: profession as Profession, skills: Object.freeze([...skills]),
        territories: Object.freeze([...territories]), // one small array per professional, shared by its slots
      }));
    }
  }

  /** Rows of SITE_COLUMNS. */
  applySites(rows: readonly SiteRow[]): void {
    for (const [id, commune, lat, lon] of rows) {
      const known = this.sites.get(id);
      if (known !== undefined && known.commune === commune && known.lat === lat && known.lon === lon) continue;
      this.sites.set(id, Object.freeze({ id, commune, lat, lon }));
    }
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

export function toFreeSlot(row: SlotRow, directory: Directory): FreeSlot | null {
  const professional = directory.professional(row[2]);
  const site = directory.site(row[3]);
  if (professional === undefined || site === undefined) return null;
  return { id: row[0], territoryId: row[1], professional, site, modality: row[4] as Modality, start: row[5], end: row[6], seq: row[9] };
}

/** Streams the open slots starting in [fromMs, untilMs), `batch` rows at a time. */
export async function* streamOpenSlots(client: pg.ClientBase, fromMs: number, untilMs: number, batch = 20_000): AsyncGenerator<SlotRow[]> {
  const cursor = client.query(new Cursor<SlotRow>(
    `select ${SLOT_COLUMNS} from slots s
      where s.starts_at >= to_timestamp($1::float8 / 1000) and s.starts_at < to_timestamp($2::float8 / 1000)
        and s.status in ('free', 'held')`,
    [fromMs, untilMs], { rowMode: 'array' }));
  try {
    for (;;) {
      const rows = await cursor.read(batch);
      if (rows.length === 0) return;
      yield rows;
    }
  } finally {
    await cursor.close();
  }
}
