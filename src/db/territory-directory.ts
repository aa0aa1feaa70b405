// Territories and their communes, held in memory: every request needs them and
// they change rarely (a territory seeded or edited while instances run).
//
// Changes reach every instance without a restart, with the pattern of the slot
// index: sql/010 NOTIFYs 'reference_data' on any write to these tables, a hint
// on the instance's notifier that triggers a reload; the reload reads both
// tables whole, so it cannot miss a change committed before it began (they are
// small: one row per commune served). Reloads run one at a time, and a hint
// that comes during one runs one more after it (the running one's snapshot may
// predate the change). After every (re)connection of the notifier a reload
// runs, and a periodic one is the backstop.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { REFERENCE_DATA_CHANNEL } from './notifications/channels.js';
import type { Notifier, Subscription } from './notifications/notifier.js';
import type { Database } from './schema.js';
import { inseePostalCodes } from '../seed/insee.js';
import type { CommuneInfo, TerritoryInfo, TerritoryLookup } from '../usecases/territories.js';

export type { CommuneInfo, TerritoryInfo } from '../usecases/territories.js';

/** The tables this directory is read from: their payloads on the reference-data channel (sql/010). */
const TABLES_READ = new Set(['territories', 'communes', 'territory_communes']);

export interface FollowOptions {
  /** The instance's notification connection (src/db/notifications). */
  notifier: Notifier;
  logger: Logger;
  backstopMs?: number;
}


export class TerritoryDirectory implements TerritoryLookup {
  private territories = new Map<string, TerritoryInfo>();
  private communes = new Map<string, CommuneInfo>();
  private readonly postalCodes = new Map<string, readonly string[]>();
  private timer: NodeJS.Timeout | null = null;
  private subscription: Subscription | null = null;
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopped = false;

  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Keeps the directory current: LISTEN first, then load (a change committed in
   * between is not missed), then reload on every hint, reconnection and backstop tick.
   */
  async follow(options: FollowOptions): Promise<void> {
    const { notifier, logger } = options;
    const reload = () => {
      if (this.stopped) return;
      this.reload().catch((error: unknown) => logger.warn({ err: error }, 'territory reload failed; will retry'));
    };
    let following = false;
    this.subscription = notifier.subscribe({
      channels: [REFERENCE_DATA_CHANNEL],
      // Professionals and sites reach the index through their slots: only these tables matter here.
      onNotification: (_channel, table) => { if (table === '' || TABLES_READ.has(table)) reload(); },
      onConnected: () => { if (following) reload(); },
      onDisconnected: (error) => logger.warn({ err: error?.message }, 'reference-data listener disconnected; reconnecting'),
    });
    await this.subscription.listening();
    await this.reload();
    following = true;
    this.timer = setInterval(reload, options.backstopMs ?? 30_000);
  }

  /** Resolves once everything committed before the call is loaded; calls during a reload share one more. */
  reload(): Promise<void> {
    if (this.running !== null) {
      this.rerun = true;
      return this.running;
    }
    // `running` is cleared in the same step as the last check of `rerun`, so no hint falls between.
    this.running = (async () => {
      try {
        do {
          this.rerun = false;
          await this.load();
        } while (this.rerun && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

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

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.subscription?.unsubscribe();
    await this.running?.catch(() => {});
  }

  territory(id: string): TerritoryInfo | undefined {
    return this.territories.get(id);
  }

  commune(code: string): CommuneInfo | undefined {
    return this.communes.get(code);
  }

  /**
   * A territory's communes with their postal codes. The codes come from the INSEE
   * package, read for every commune not seen before in one pass (~8 MB of JSON,
   * ~150 ms, nothing kept but the codes), so a database seeded before they were
   * needed has them too and no migration is needed; then memoised per commune.
   */
  communesOf(territoryId: string): CommuneInfo[] {
    const served = [...this.communes.values()].filter((c) => c.territoryId === territoryId);
    const unseen = served.filter((c) => !this.postalCodes.has(c.code)).map((c) => c.code);
    if (unseen.length > 0) for (const [code, postalCodes] of inseePostalCodes(unseen)) this.postalCodes.set(code, postalCodes);
    return served.map((commune) => ({ ...commune, postalCodes: this.postalCodes.get(commune.code) ?? [] }));
  }

  all(): IterableIterator<TerritoryInfo> {
    return this.territories.values();
  }
}
