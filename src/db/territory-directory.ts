// Territories and their communes, held in memory: every request needs them and
// they change only when a coordinator edits them. Reloaded periodically.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { CommuneInfo, TerritoryInfo, TerritoryLookup } from '../usecases/territories.js';

export type { CommuneInfo, TerritoryInfo } from '../usecases/territories.js';


export class TerritoryDirectory implements TerritoryLookup {
  private territories = new Map<string, TerritoryInfo>();
  private communes = new Map<string, CommuneInfo>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  async load(): Promise<void> {
    const [territories, communes] = await Promise.all([
      this.db.selectFrom('territories').selectAll().execute(),
      this.db.selectFrom('territory_communes as tc').innerJoin('communes as c', 'c.code', 'tc.commune_code')
        .select(['c.code', 'c.name', 'c.lat', 'c.lon', 'tc.territory_id']).execute(),
    ]);
    this.territories = new Map(territories.map((t) => [t.id, {
      id: t.id, name: t.name, timeZone: t.time_zone, organisationIdentifier: t.organisation_identifier,
      horizonHours: t.horizon_hours, holdTtlSeconds: t.hold_ttl_seconds, ackDeadlineSeconds: t.ack_deadline_seconds,
    }]));
    this.communes = new Map(communes.map((c) => [c.code, { code: c.code, name: c.name, lat: c.lat, lon: c.lon, territoryId: c.territory_id }]));
  }

  startRefreshing(everyMs = 30_000, onError: (error: unknown) => void = () => {}): void {
    this.timer = setInterval(() => void this.load().catch(onError), everyMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  territory(id: string): TerritoryInfo | undefined {
    return this.territories.get(id);
  }

  commune(code: string): CommuneInfo | undefined {
    return this.communes.get(code);
  }

  all(): IterableIterator<TerritoryInfo> {
    return this.territories.values();
  }
}
