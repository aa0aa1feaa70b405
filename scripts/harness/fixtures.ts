// Test data written straight into PostgreSQL with Kysely: territories,
// communes, professionals, sites, slots and API clients (with real tokens).
// Small building blocks plus `world()` for the common shape; reuse freely.
import type { Kysely } from 'kysely';
import type { Modality, Profession } from '../../src/core/domain.js';
import type { Role } from '../../src/usecases/client.js';
import { rppsFromPrefix } from '../../src/core/rpps.js';
import { createClient } from '../../src/auth/clients.js';
import type { Database } from '../../src/db/schema.js';

const MINUTE = 60_000;
let rppsCounter = 0;

/** A fresh valid RPPS, distinct within the process. */
export function nextRpps(): string {
  rppsCounter += 1;
  return rppsFromPrefix(String(1_900_000_000 + process.pid % 10_000 * 10_000 + rppsCounter).padStart(10, '0').slice(-10));
}

export interface CommuneSpec { code: string; name?: string; lat: number; lon: number }

export async function addTerritory(db: Kysely<Database>, spec: { id: string; name?: string; timeZone?: string; holdTtlSeconds?: number; communes: CommuneSpec[] }): Promise<void> {
  await db.insertInto('territories').values({
    id: spec.id, name: spec.name ?? spec.id, time_zone: spec.timeZone ?? 'Europe/Paris', organisation_identifier: null,
    ...(spec.holdTtlSeconds !== undefined ? { hold_ttl_seconds: spec.holdTtlSeconds } : {}),
  }).execute();
  for (const c of spec.communes) {
    await db.insertInto('communes').values({ code: c.code, name: c.name ?? c.code, population: 10_000, lat: c.lat, lon: c.lon }).onConflict((oc) => oc.doNothing()).execute();
    await db.insertInto('territory_communes').values({ territory_id: spec.id, commune_code: c.code }).execute();
  }
}

export interface ProfessionalFixture { id: string; rpps: string; siteId: string; territoryId: string; profession: Profession }

export async function addProfessional(db: Kysely<Database>, spec: {
  territoryId: string; commune: CommuneSpec; profession?: Profession; skills?: string[]; modalities?: Modality[]; familyName?: string; givenName?: string;
}): Promise<ProfessionalFixture> {
  const rpps = nextRpps();
  const pro = await db.insertInto('professionals').values({
    rpps, territory_id: spec.territoryId, family_name: spec.familyName ?? `Family${rppsCounter}`, given_name: spec.givenName ?? 'Test',
    profession: spec.profession ?? 'gp', skills: spec.skills ?? [], modalities: spec.modalities ?? ['office'],
  }).returning('id').executeTakeFirstOrThrow();
  const site = await db.insertInto('sites').values({
    professional_id: pro.id, commune_code: spec.commune.code, label: null, address: null, lat: spec.commune.lat, lon: spec.commune.lon,
  }).returning('id').executeTakeFirstOrThrow();
  return { id: pro.id, rpps, siteId: site.id, territoryId: spec.territoryId, profession: spec.profession ?? 'gp' };
}

/** `count` consecutive slots of `minutes` from `start` (epoch ms), returning their ids in order. */
export async function addSlots(db: Kysely<Database>, pro: ProfessionalFixture, spec: { start: number; count: number; minutes?: number; modality?: Modality }): Promise<string[]> {
  if (spec.count === 0) return [];
  const minutes = spec.minutes ?? 20;
  const rows = await db.insertInto('slots').values(Array.from({ length: spec.count }, (_, i) => ({
    professional_id: pro.id, site_id: pro.siteId, territory_id: pro.territoryId, band_id: null,
    starts_at: new Date(spec.start + i * minutes * MINUTE), ends_at: new Date(spec.start + (i + 1) * minutes * MINUTE),
    modality: spec.modality ?? 'office',
  }))).returning(['id', 'starts_at']).execute();
  return rows.sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime()).map((r) => r.id);
}

export async function tokenFor(db: Kysely<Database>, role: Role, territories: string[], rpps?: string): Promise<{ id: string; token: string }> {
  return createClient(db, { role, territories, ...(rpps !== undefined ? { rpps } : {}), name: `${role} test` });
}

/** A whole minute in the future, so slots never start during a test. */
export function soon(minutesAhead = 60): number {
  return Math.ceil((Date.now() + minutesAhead * MINUTE) / MINUTE) * MINUTE;
}

export const COMMUNES = {
  venissieux: { code: '69259', name: 'Vénissieux', lat: 45.6975, lon: 4.8867 },
  saintFons: { code: '69199', name: 'Saint-Fons', lat: 45.7086, lon: 4.8533 },
  royan: { code: '17306', name: 'Royan', lat: 45.6248, lon: -1.0281 },
} as const satisfies Record<string, CommuneSpec>;

export interface World {
  /** Territory A ('terr-a', Vénissieux + Saint-Fons) and B ('terr-b', Royan). */
  a: { id: string; pros: ProfessionalFixture[] };
  b: { id: string; pros: ProfessionalFixture[] };
}

/** Two territories with `prosPerTerritory` GPs each (no slots: add them with addSlots). */
export async function world(db: Kysely<Database>, options: { prosPerTerritory?: number; holdTtlSeconds?: number } = {}): Promise<World> {
  const n = options.prosPerTerritory ?? 2;
  const ttl = options.holdTtlSeconds !== undefined ? { holdTtlSeconds: options.holdTtlSeconds } : {};
  await addTerritory(db, { id: 'terr-a', communes: [COMMUNES.venissieux, COMMUNES.saintFons], ...ttl });
  await addTerritory(db, { id: 'terr-b', communes: [COMMUNES.royan], ...ttl });
  const a: ProfessionalFixture[] = [];
  const b: ProfessionalFixture[] = [];
  for (let i = 0; i < n; i++) {
    a.push(await addProfessional(db, { territoryId: 'terr-a', commune: i % 2 === 0 ? COMMUNES.venissieux : COMMUNES.saintFons }));
    b.push(await addProfessional(db, { territoryId: 'terr-b', commune: COMMUNES.royan }));
  }
  return { a: { id: 'terr-a', pros: a }, b: { id: 'terr-b', pros: b } };
}

/** A booking written directly (e.g. on a past slot, which the API refuses to book); the slot becomes 'booked'. */
export async function addBooking(db: Kysely<Database>, spec: { slotId: string; clientId: string; patient?: Record<string, unknown> | null }): Promise<string> {
  const slot = await db.updateTable('slots').set({ status: 'booked', held_until: null }).where('id', '=', spec.slotId)
    .returning(['id', 'professional_id', 'territory_id', 'starts_at', 'ends_at']).executeTakeFirstOrThrow();
  const row = await db.insertInto('bookings').values({
    slot_id: slot.id, professional_id: slot.professional_id, territory_id: slot.territory_id, client_id: spec.clientId,
    request_id: null, hold_id: null, starts_at: slot.starts_at, ends_at: slot.ends_at,
    patient: spec.patient === null ? null : JSON.stringify(spec.patient ?? { name: 'X. Y.', phone: '0600000000' }),
    patient_purged_at: null, cancelled_at: null, cancelled_by: null, cancel_reason: null, acked_at: null, escalated_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** A live hold written directly: the slot becomes 'held' until now + ttlSeconds. */
export async function addHold(db: Kysely<Database>, spec: { slotId: string; clientId: string; ttlSeconds?: number }): Promise<string> {
  const until = new Date(Date.now() + (spec.ttlSeconds ?? 180) * 1000);
  await db.updateTable('slots').set({ status: 'held', held_until: until }).where('id', '=', spec.slotId).execute();
  const row = await db.insertInto('holds').values({ slot_id: spec.slotId, client_id: spec.clientId, request_id: null, expires_at: until, released_at: null, booked_at: null })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}
