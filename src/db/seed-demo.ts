// Writes the demo territories of SPEC §7 (src/seed) into the database, then
// materialises their bands. Idempotent: territories are keyed by id and
// professionals by RPPS; what is already there is left as it is. Then the
// neighbour CPTS (src/seed/neighbour-territories.ts) and its members, who
// serve two CPTS (migration 015).
import type { Kysely } from 'kysely';
import { demoNeighbours, demoTerritories, type DemoTerritory } from '../seed/index.js';
import { materialiseSlots } from './materialise-slots.js';
import { formatSiteAddress } from './site-address.js';
import type { Database } from './schema.js';

export interface SeedReport { territories: number; professionals: number; bands: number; slots: number }

export async function seedDemo(db: Kysely<Database>, materialiseDays: number, now = new Date()): Promise<SeedReport> {
  const report: SeedReport = { territories: 0, professionals: 0, bands: 0, slots: 0 };
  const newBandIds: string[] = [];
  await db.transaction().execute(async (tx) => {
    const territories = demoTerritories();
    for (const territory of territories) {
      const counts = await seedTerritory(tx, territory, newBandIds);
      report.territories += counts.territory;
      report.professionals += counts.professionals;
    }
    for (const neighbour of demoNeighbours(territories)) {
      report.territories += (await seedTerritory(tx, neighbour.territory, newBandIds)).territory;
      const members = await tx.selectFrom('professionals').select('id').where('rpps', 'in', neighbour.memberRpps).execute();
      if (members.length > 0) {
        await tx.insertInto('professional_territories')
          .values(members.map((m) => ({ professional_id: m.id, territory_id: neighbour.territory.id })))
          .onConflict((oc) => oc.doNothing()).execute();
      }
    }
  });
  report.bands = newBandIds.length;
  const until = new Date(now.getTime() + materialiseDays * 86_400_000);
  report.slots = (await materialiseSlots(db, { from: now, until, bandIds: newBandIds })).inserted;
  return report;
}

/** Seeds only a database that has no territory at all (the first start of an embedded one). */
export async function seedDemoIfEmpty(db: Kysely<Database>, materialiseDays: number, onSeeding?: () => void): Promise<SeedReport | null> {
  const any = await db.selectFrom('territories').select('id').limit(1).executeTakeFirst();
  if (any !== undefined) return null;
  onSeeding?.();
  return seedDemo(db, materialiseDays);
}

async function seedTerritory(tx: Kysely<Database>, territory: DemoTerritory, newBandIds: string[]): Promise<{ territory: number; professionals: number }> {
  const inserted = await tx.insertInto('territories').values({
    id: territory.id,
    name: territory.name,
    time_zone: territory.timeZone,
    organisation_identifier: territory.organisation.idnst,
    phone: territory.organisation.phone,
    horizon_hours: territory.policy.horizonHours,
    hold_ttl_seconds: territory.policy.holdTtlSeconds,
    ack_deadline_seconds: territory.policy.ackDeadlineSeconds,
  }).onConflict((oc) => oc.column('id').doNothing()).returning('id').execute();

  await tx.insertInto('communes').values(territory.communes.map((c) => ({
    code: c.code, name: c.name, population: c.population, lat: c.centre.lat, lon: c.centre.lon,
  }))).onConflict((oc) => oc.column('code').doNothing()).execute();
  await tx.insertInto('territory_communes').values(territory.communes.map((c) => ({
    territory_id: territory.id, commune_code: c.code,
  }))).onConflict((oc) => oc.doNothing()).execute();

  let professionals = 0;
  for (const p of territory.professionals) {
    const row = await tx.insertInto('professionals').values({
      rpps: p.rpps, territory_id: territory.id, family_name: p.familyName, given_name: p.givenName,
      profession: p.profession, skills: p.skills, modalities: p.modalities, phone: p.phone,
    }).onConflict((oc) => oc.column('rpps').doNothing()).returning('id').executeTakeFirst();
    if (row === undefined) continue; // already seeded
    professionals++;
    const siteIds = new Map<string, string>();
    for (const site of p.sites) {
      const siteRow = await tx.insertInto('sites').values({
        professional_id: row.id, commune_code: site.commune, label: site.label, address: formatSiteAddress(site.address), lat: site.lat, lon: site.lon,
      }).returning('id').executeTakeFirstOrThrow();
      siteIds.set(site.key, siteRow.id);
    }
    for (const band of p.bands) {
      const siteId = siteIds.get(band.siteKey);
      if (siteId === undefined) throw new Error(`demo band ${band.key} refers to unknown site ${band.siteKey}`);
      const bandRow = await tx.insertInto('oncall_bands').values({
        professional_id: row.id, site_id: siteId, days_of_week: [...band.rule.daysOfWeek],
        local_start: band.rule.localStart, local_end: band.rule.localEnd, slot_minutes: band.rule.slotMinutes,
        modality: band.modality, valid_from: band.rule.validFrom, valid_until: band.rule.validUntil,
      }).returning('id').executeTakeFirstOrThrow();
      newBandIds.push(bandRow.id);
    }
  }
  return { territory: inserted.length, professionals };
}
