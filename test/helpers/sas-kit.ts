// What the SAS certification kit (ansforge/interop-outil-fhir-sas-test-kit, an
// Inferno test kit) does for a CPTS agenda manager, written once for our
// tests: its Slot search as it builds it (aggregation/setup_helper.rb,
// launch version ig_launch_2 = CPTS), the set-up test every search group starts
// with (aggregation/setup_test.rb), and its way of picking resources out of a
// Bundle (FHIRPath `entry.where(resource.meta.profile="…").resource`).
// Also the Slot-search shorthands test/fhir-http-kit.test.ts uses.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Test } from 'tap';
import type { Database } from '../../src/db/schema.js';
import { formatFhirInstant } from '../../src/sas/resources/instant.js';
import { migratedDatabase } from './database.js';
import { addProfessional, addSlots, COMMUNES, soon, world, type ProfessionalFixture } from './fixtures.js';
import type { KitClient } from './kit-connection.js';

export const PARIS = 'Europe/Paris';
export const IDNPS = 'urn:oid:1.2.250.1.71.4.2.1';
export const INCLUDES = '_include=Slot:schedule&_include:iterate=Schedule:actor&_include=Slot:service-type-reference'
  + '&_include:iterate=HealthcareService:organization';
/** The kit's own second practitioner: well-formed, but its RPPS fails the check digit. */
export const KIT_IDNPS = '810001288385';
export const at = (ms: number) => formatFhirInstant(ms, PARIS);
export const ids = (values: readonly string[]) => `${IDNPS}|${values.join(`,${IDNPS}|`)}`;
export const resources = (bundle: any, type: string): any[] => (bundle.entry ?? []).map((e: any) => e.resource).filter((r: any) => r.resourceType === type);

export function slotSearch(idnpsValues: readonly string[], from: string, until: string, extra = ''): string {
  return `/fhir/Slot?${INCLUDES}&start=ge${from}&start=le${until}&schedule.actor:Practitioner.identifier=${ids(idnpsValues)}&status=free${extra}`;
}

/** The profiles the kit selects resources by (CPTS ones are the IG's, PS ones the older sas.fr names). */
export const KIT_PROFILE = {
  bundle: 'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-bundle-aggregator',
  slot: 'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-slot-aggregator',
  healthcareService: 'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-healthcareservice-aggregator',
  organization: 'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-organization-aggregator',
  psSlot: 'http://sas.fr/fhir/StructureDefinition/FrSlotAgregateur',
  practitioner: 'http://sas.fr/fhir/StructureDefinition/FrPractitionerAgregateur',
  practitionerRole: 'http://sas.fr/fhir/StructureDefinition/FrPractitionerRoleExerciceAgregateur',
  schedule: 'http://sas.fr/fhir/StructureDefinition/FrScheduleAgregateur',
} as const;
export const SERVICE_TYPE_EXTENSION = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Slot.serviceType';
export const CATEGORY_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement';

/**
 * FHIRPath `entry.where(resource.meta.profile="X").resource`: FHIRPath `=` on a
 * collection is true only when it holds that one value, so a resource claiming
 * a second profile would not be found by the kit; we test it as the kit reads it.
 */
export function withProfile(bundle: any, profile: string): any[] {
  return (bundle.entry ?? []).map((e: any) => e.resource)
    .filter((r: any) => Array.isArray(r?.meta?.profile) && r.meta.profile.length === 1 && r.meta.profile[0] === profile);
}

/** SetupHelper.calculate_date_range: from now to the end of local day D+2 (capped at 72 h), Paris wall time without offset. */
export function kitDateRange(now = Date.now()): { start: string; end: string } {
  const local = (ms: number) => formatFhirInstant(ms, PARIS).slice(0, 19);
  const endOfD2 = `${new Date(Date.parse(`${local(now).slice(0, 10)}T12:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10)}T23:59:59`;
  const cap = local(now + 72 * 3_600_000);
  return { start: local(now), end: cap < endOfD2 ? cap : endOfD2 };
}

/** SetupHelper.build_slot_search_params for ig_launch_2, sent as a FHIR client sends a hash with array values. */
export function kitSlotSearchPath(idnps: readonly string[], range: { start: string; end: string }): string {
  const params: [string, string][] = [
    ['_include', 'Slot:schedule'], ['_include', 'Slot:service-type-reference'],
    ['_include:iterate', 'Schedule:actor'], ['_include:iterate', 'HealthcareService:organization'],
    ['schedule.actor:Practitioner.identifier', idnps.map((id) => `${IDNPS}|${id}`).join(',')],
    ['start', `ge${range.start}.000`], ['start', `le${range.end}.000`],
    ['status', 'free'],
  ];
  return `/fhir/Slot?${params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

export interface KitSetup { bundle: any; query: string; idnps: string; dateFin: string }

/**
 * The kit's set-up test (slot_search_setup), each of its assertions: status
 * 200, a Bundle, not empty, FHIR JSON (a warning in the kit, an assertion here).
 */
export async function kitSetup(t: Test, kit: KitClient, idnps: string, idnpsOpt?: string): Promise<KitSetup> {
  const range = kitDateRange();
  const path = kitSlotSearchPath(idnpsOpt === undefined ? [idnps] : [idnps, idnpsOpt], range);
  const res = await kit('GET', path);
  t.equal(res.status, 200, 'setup: assert_response_status(200)');
  t.equal(res.json?.resourceType, 'Bundle', 'setup: assert_resource_type(Bundle)');
  t.ok(Array.isArray(res.json?.entry) && res.json.entry.length > 0, 'setup: the Bundle is not empty');
  t.match(res.headers.get('content-type'), /^application\/fhir\+json/, 'setup: assert_response_content_type(application/fhir+json)');
  return { bundle: res.json, query: `${kit.url}${path}`, idnps, dateFin: range.end };
}

/** The query of a URL as CGI.parse gives it, each key's values sorted (ps_bundle_url_equal_url). */
export function normalizedQuery(url: string): Record<string, string[]> {
  const query = new URL(url).searchParams;
  const out: Record<string, string[]> = {};
  for (const [k, v] of query) (out[k] ??= []).push(v);
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

export interface KitWorld {
  db: Kysely<Database>;
  url: string;
  /** One site, one CPTS: practitioner_id. */
  single: ProfessionalFixture;
  /** Two sites, member of both CPTS: practitioner_id2 (multi_lieux, multiple_cpts). */
  twoSites: ProfessionalFixture & { secondSiteId: string };
  /** practitioner_id3 and practitioner_id4 (search_multiple_ps). */
  third: ProfessionalFixture;
  fourth: ProfessionalFixture;
}

/**
 * The practitioners the kit's inputs name, with free slots in its window:
 * terr-a (Vénissieux, Saint-Fons) and terr-b (Royan), both with an IDNST and
 * a phone; every professional with a phone; every site with a postal address.
 * `single` offers office and video slots (consultation types AMB and VR).
 */
export async function kitWorld(t: Test): Promise<KitWorld> {
  const database = await migratedDatabase(t);
  const db = database.db;
  await world(db, { prosPerTerritory: 0 });
  await sql`update territories set organisation_identifier = case id when 'terr-a' then '1690000010' else '1170000012' end,
    phone = case id when 'terr-a' then '+33 1 99 00 10 10' else '+33 1 99 00 20 20' end`.execute(db);
  const single = await addProfessional(db, { territoryId: 'terr-a', commune: COMMUNES.venissieux, familyName: 'Seul', givenName: 'Anne', modalities: ['office', 'video'] });
  const twoSites = await addProfessional(db, { territoryId: 'terr-a', commune: COMMUNES.venissieux, familyName: 'Deux-Lieux', givenName: 'Paul' });
  const third = await addProfessional(db, { territoryId: 'terr-a', commune: COMMUNES.saintFons, familyName: 'Troisième', givenName: 'Lou' });
  const fourth = await addProfessional(db, { territoryId: 'terr-a', commune: COMMUNES.venissieux, familyName: 'Quatrième', givenName: 'Léa' });
  const second = await db.insertInto('sites').values({
    professional_id: twoSites.id, commune_code: COMMUNES.saintFons.code, label: null, address: '3 rue Carnot, 69190 Saint-Fons',
    lat: COMMUNES.saintFons.lat, lon: COMMUNES.saintFons.lon,
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('professional_territories').values({ professional_id: twoSites.id, territory_id: 'terr-b' }).execute();
  await sql`update sites set address = '12 avenue Jean Jaurès, 69200 Vénissieux' where address is null`.execute(db);
  await sql`update professionals set phone = '+33 6 39 98 00 ' || lpad((row_number)::text, 2, '0')
    from (select id as pid, row_number() over (order by id) from professionals) numbered where numbered.pid = professionals.id`.execute(db);
  const start = soon(60);
  await addSlots(db, single, { start, count: 2 });
  await addSlots(db, single, { start: start + 60 * 60_000, count: 1, modality: 'video' });
  await addSlots(db, twoSites, { start, count: 2 });
  await addSlots(db, { ...twoSites, siteId: second.id }, { start: start + 60 * 60_000, count: 2 });
  await addSlots(db, third, { start, count: 2 });
  await addSlots(db, fourth, { start, count: 2 });
  return { db, url: database.url, single, twoSites: { ...twoSites, secondSiteId: second.id }, third, fourth };
}
