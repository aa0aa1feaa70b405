// What the FHIR resources need beyond the index's copy of a professional and a
// site: the name split into family and given (the index keeps one display
// string) and the site's postal address. Cached per id for a minute, so a
// repeated SAS search costs no query; a miss costs one query per kind. A write
// to professionals or sites (sql/010's hint on the instance's notifier) or a
// reconnection of the notifier empties the cache: a rename reaches the SAS at once.
import type { ExpressionBuilder, Kysely } from 'kysely';
import { REFERENCE_DATA_CHANNEL } from '../../db/notifications/channels.js';
import type { Notifier, Subscription } from '../../db/notifications/notifier.js';
import type { Profession } from '../../core/domain.js';
import type { Database } from '../../db/schema.js';
import { parseSiteAddress, type PostalAddressParts } from '../../db/site-address.js';

export interface PersonName { family: string; given: string[] }

export interface PracticeDetails {
  names: ReadonlyMap<string, PersonName>;
  /** Professionals and territories (CPTS) with a phone number; the others are absent. */
  phones: ReadonlyMap<string, string>;
  organisationPhones: ReadonlyMap<string, string>;
  /** Sites without a parseable address are absent. */
  addresses: ReadonlyMap<string, PostalAddressParts>;
}

/** What the FHIR transport reads; PracticeDirectory is the PostgreSQL one. */
export interface PracticeLookup {
  details(professionalIds: readonly string[], siteIds: readonly string[], territoryIds?: readonly string[]): Promise<PracticeDetails>;
}

export interface ProfessionalRecord {
  id: string;
  rpps: string;
  /** Its home territory (professionals.territory_id). */
  territoryId: string;
  /** Every territory it serves, home first (migration 015). */
  territories: string[];
  name: PersonName;
  profession: Profession;
  skills: string[];
}

interface Cached<T> { value: T; at: number }

export class PracticeDirectory implements PracticeLookup {
  private readonly names = new Map<string, Cached<PersonName & { phone: string | null }>>();
  private readonly organisationPhones = new Map<string, Cached<string | null>>();
  private readonly addresses = new Map<string, Cached<PostalAddressParts | undefined>>();
  /** Bumped by each forget(): a read begun before it does not fill the cache with what it read. */
  private generation = 0;
  private subscription: Subscription | null = null;

  constructor(private readonly db: Kysely<Database>, private readonly ttlMs = 60_000, private readonly now: () => number = Date.now) {}

  /** Empties the cache on every change to professionals, sites or territories, and after each (re)connection. */
  follow(notifier: Notifier): void {
    this.subscription = notifier.subscribe({
      channels: [REFERENCE_DATA_CHANNEL],
      onNotification: (_channel, table) => { if (table === '' || table === 'professionals' || table === 'sites' || table === 'territories') this.forget(); },
      onConnected: () => this.forget(),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
  }

  forget(): void {
    this.generation++;
    this.names.clear();
    this.addresses.clear();
    this.organisationPhones.clear();
  }

  async details(professionalIds: readonly string[], siteIds: readonly string[], territoryIds: readonly string[] = []): Promise<PracticeDetails> {
    const now = this.now();
    const generation = this.generation;
    const fresh = <T>(c: Cached<T> | undefined): c is Cached<T> => c !== undefined && now - c.at < this.ttlMs;
    const missingPros = [...new Set(professionalIds)].filter((id) => !fresh(this.names.get(id)));
    const missingSites = [...new Set(siteIds)].filter((id) => !fresh(this.addresses.get(id)));
    const missingTerritories = [...new Set(territoryIds)].filter((id) => !fresh(this.organisationPhones.get(id)));
    const readNames = new Map<string, PersonName & { phone: string | null }>();
    const readAddresses = new Map<string, PostalAddressParts | undefined>();
    const readOrganisationPhones = new Map<string, string | null>();
    await Promise.all([
      missingPros.length === 0 ? undefined : this.db.selectFrom('professionals').select(['id', 'family_name', 'given_name', 'phone'])
        .where('id', 'in', missingPros).execute()
        .then((rows) => { for (const r of rows) readNames.set(r.id, { ...nameOf(r), phone: r.phone }); }),
      missingTerritories.length === 0 ? undefined : this.db.selectFrom('territories').select(['id', 'phone'])
        .where('id', 'in', missingTerritories).execute()
        .then((rows) => { for (const r of rows) readOrganisationPhones.set(r.id, r.phone); }),
      missingSites.length === 0 ? undefined : this.db.selectFrom('sites').select(['id', 'address'])
        .where('id', 'in', missingSites).execute()
        .then((rows) => { for (const r of rows) readAddresses.set(r.id, parseSiteAddress(r.address)); }),
    ]);
    // Read before a change was announced: answer with it, but do not keep it.
    if (generation === this.generation) {
      for (const [id, value] of readNames) this.names.set(id, { value, at: now });
      for (const [id, value] of readAddresses) this.addresses.set(id, { value, at: now });
      for (const [id, value] of readOrganisationPhones) this.organisationPhones.set(id, { value, at: now });
    }
    const names = new Map<string, PersonName>();
    const phones = new Map<string, string>();
    for (const id of professionalIds) {
      const c = readNames.get(id) ?? this.names.get(id)?.value;
      if (c) names.set(id, { family: c.family, given: c.given });
      if (c?.phone) phones.set(id, c.phone);
    }
    const organisationPhones = new Map<string, string>();
    for (const id of territoryIds) {
      const v = readOrganisationPhones.has(id) ? readOrganisationPhones.get(id) : this.organisationPhones.get(id)?.value;
      if (v) organisationPhones.set(id, v);
    }
    const addresses = new Map<string, PostalAddressParts>();
    for (const id of siteIds) { const v = readAddresses.has(id) ? readAddresses.get(id) : this.addresses.get(id)?.value; if (v) addresses.set(id, v); }
    return { names, phones, organisationPhones, addresses };
  }

  /** Active professionals with these RPPS numbers in these territories. */
  async professionalsByRpps(rpps: readonly string[], territories: readonly string[]): Promise<ProfessionalRecord[]> {
    if (rpps.length === 0 || territories.length === 0) return [];
    const rows = await this.db.selectFrom('professionals')
      .select(['id', 'rpps', 'territory_id', 'family_name', 'given_name', 'profession', 'skills']).select(membershipsOf('professionals.id'))
      .where('rpps', 'in', [...rpps]).where(servesAny('professionals.id', territories)).where('active', '=', true)
      .execute();
    return rows.map((r) => ({ id: r.id, rpps: r.rpps, territoryId: r.territory_id, territories: homeFirst(r), name: nameOf(r), profession: r.profession, skills: r.skills }));
  }

  /** An active professional of these territories by id. */
  async professionalById(id: string, territories: readonly string[]): Promise<ProfessionalRecord | undefined> {
    if (!UUID.test(id) || territories.length === 0) return undefined;
    const r = await this.db.selectFrom('professionals')
      .select(['id', 'rpps', 'territory_id', 'family_name', 'given_name', 'profession', 'skills']).select(membershipsOf('professionals.id'))
      .where('id', '=', id).where(servesAny('professionals.id', territories)).where('active', '=', true)
      .executeTakeFirst();
    return r === undefined ? undefined : { id: r.id, rpps: r.rpps, territoryId: r.territory_id, territories: homeFirst(r), name: nameOf(r), profession: r.profession, skills: r.skills };
  }

  /** Every site (a FHIR Schedule each) of these active professionals of these territories. */
  async practicesOf(professionalIds: readonly string[], territories: readonly string[]): Promise<Practice[]> {
    const ids = professionalIds.filter((id) => UUID.test(id));
    if (ids.length === 0 || territories.length === 0) return [];
    const rows = await this.practiceRows().where('p.id', 'in', ids).where(servesAny('p.id', territories))
      .where('p.active', '=', true).orderBy('p.id').orderBy('s.id').execute();
    return rows.map(practiceOf);
  }

  /** A professional and one of its sites (a FHIR Schedule), when both exist and belong together. */
  async practice(professionalId: string, siteId: string): Promise<Practice | undefined> {
    const row = await this.practiceRows().where('s.id', '=', siteId).where('p.id', '=', professionalId).executeTakeFirst();
    return row === undefined ? undefined : practiceOf(row);
  }

  private practiceRows() {
    return this.db.selectFrom('sites as s').innerJoin('professionals as p', 'p.id', 's.professional_id')
      .select(['p.id', 'p.rpps', 'p.territory_id', 'p.family_name', 'p.given_name', 'p.profession', 'p.skills',
        's.id as site_id', 's.commune_code', 's.lat', 's.lon', 's.address']).select(membershipsOf('p.id'));
  }
}

/** The professional serves one of these territories (migration 015; its home is always one of them). */
function servesAny(professionalId: 'professionals.id' | 'p.id', territories: readonly string[]) {
  return (eb: ExpressionBuilder<Database, any>) => eb.exists(eb.selectFrom('professional_territories as pt').select('pt.territory_id')
    .whereRef('pt.professional_id', '=', professionalId as any).where('pt.territory_id', 'in', [...territories]));
}

/** The territories a professional serves, sorted by id. */
function membershipsOf(professionalId: 'professionals.id' | 'p.id') {
  return (eb: ExpressionBuilder<Database, any>) => eb.fn<string[]>('array', [eb.selectFrom('professional_territories as pt')
    .select('pt.territory_id').whereRef('pt.professional_id', '=', professionalId as any).orderBy('pt.territory_id')]).as('memberships');
}

function homeFirst(row: { territory_id: string; memberships: string[] }): string[] {
  return [row.territory_id, ...row.memberships.filter((t) => t !== row.territory_id)];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A professional at one of its sites. */
export type Practice = ProfessionalRecord & { site: { id: string; commune: string; lat: number; lon: number; address?: PostalAddressParts } };

function practiceOf(row: {
  id: string; rpps: string; territory_id: string; memberships: string[]; family_name: string; given_name: string; profession: Profession; skills: string[];
  site_id: string; commune_code: string; lat: number; lon: number; address: string | null;
}): Practice {
  const address = parseSiteAddress(row.address);
  return {
    id: row.id, rpps: row.rpps, territoryId: row.territory_id, territories: homeFirst(row), name: nameOf(row), profession: row.profession, skills: row.skills,
    site: { id: row.site_id, commune: row.commune_code, lat: row.lat, lon: row.lon, ...(address ? { address } : {}) },
  };
}

function nameOf(row: { family_name: string; given_name: string }): PersonName {
  return { family: row.family_name, given: row.given_name.split(/\s+/).filter((g) => g !== '') };
}
