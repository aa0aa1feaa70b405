// The compiled triage rule set in force for each territory, in memory: triage
// is on the hot path and must not wait for the database. A territory without
// a set of its own uses the national default shipped with the service.
//
// Changes reach every instance within a second: sql/005 NOTIFYs on any write
// to triage_rule_sets and every instance LISTENs (its notifier). The
// notification is only a hint: a reload also runs after each (re)connection
// of the listener and periodically, and a reload reads the latest versions
// itself, so a lost notification costs at most one backstop period.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { compileRuleSet, parseRuleSet } from '../../core/triage/index.js';
import { NATIONAL_DEFAULT, type RuleSetInForce, type RuleSetsInForce } from '../../usecases/rule-sets-in-force.js';
import type { Database } from '../schema.js';
import { RULE_SETS_CHANNEL } from '../notifications/channels.js';
import type { Notifier, Subscription } from '../notifications/notifier.js';
import { latestVersions, previousVersion, storedRuleSet } from './rule-set-rows.js';

export { NATIONAL_DEFAULT } from '../../usecases/rule-sets-in-force.js';
export type { RuleSetInForce, RuleSetSource } from '../../usecases/rule-sets-in-force.js';

export const RULE_SET_CHANNEL = RULE_SETS_CHANNEL;

export interface RuleSetRegistryStatus {
  loaded: boolean;
  listenerConnected: boolean;
  lastReloadOk: boolean;
  /** Territories with a set of their own. */
  territories: number;
}

export interface RuleSetRegistryOptions {
  /** The instance's notification connection (src/db/notifications). */
  notifier: Notifier;
  db: Kysely<Database>;
  logger: Logger;
  backstopMs?: number;
}

export class RuleSetRegistry implements RuleSetsInForce {
  private byTerritory = new Map<string, RuleSetInForce>();
  /** Per territory: the newest stored version last seen, and what it resolved to (so a bad one is judged once). */
  private resolved = new Map<string, { newest: number; inForce: RuleSetInForce | undefined }>();
  private readonly subscription: Subscription;
  private loaded = false;
  private lastReloadOk = false;
  private stopped = false;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: RuleSetRegistryOptions) {
    this.subscription = options.notifier.subscribe({
      channels: [RULE_SET_CHANNEL],
      onNotification: () => this.requestReload(),
      // Whatever was written while disconnected is read now.
      onConnected: () => { if (this.loaded) this.requestReload(); },
      onDisconnected: (error) => options.logger.warn({ err: error }, 'rule-set listener disconnected; reconnecting'),
    });
  }

  /** LISTEN first, then load: a change committed in between is not missed. */
  async start(): Promise<void> {
    await this.subscription.listening();
    await this.reload();
    this.timer = setInterval(() => this.requestReload(), this.options.backstopMs ?? 10_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.subscription.unsubscribe();
    await this.queued?.catch(() => {});
    await this.running?.catch(() => {});
  }

  /** The set in force for a territory: its own, else the national default. Null: no territory (out of every one). */
  inForce(territoryId: string | null): RuleSetInForce {
    return (territoryId === null ? undefined : this.byTerritory.get(territoryId)) ?? NATIONAL_DEFAULT;
  }

  status(): RuleSetRegistryStatus {
    return { loaded: this.loaded, listenerConnected: this.options.notifier.isConnected, lastReloadOk: this.lastReloadOk, territories: this.byTerritory.size };
  }

  get listenerBackendPid(): number | null {
    return this.options.notifier.backendPid;
  }

  /**
   * Resolves once everything committed before the call is in force here.
   * Calls made while a reload runs share one more reload after it.
   */
  reload(): Promise<void> {
    if (this.queued !== null) return this.queued;
    if (this.running === null) return this.run();
    const queued = this.running.catch(() => {}).then(() => {
      this.queued = null;
      return this.run();
    });
    this.queued = queued;
    return queued;
  }

  private requestReload(): void {
    if (this.stopped) return;
    this.reload().catch((error: unknown) => this.options.logger.warn({ err: error }, 'rule-set reload failed; will retry'));
  }

  private run(): Promise<void> {
    const pass = this.pass().then(
      () => { this.lastReloadOk = true; },
      (error: unknown) => { this.lastReloadOk = false; throw error; },
    ).finally(() => { this.running = null; });
    this.running = pass;
    return pass;
  }

  private async pass(): Promise<void> {
    const latest = await latestVersions(this.options.db);
    const resolved = new Map<string, { newest: number; inForce: RuleSetInForce | undefined }>();
    const next = new Map<string, RuleSetInForce>();
    for (const [territoryId, newest] of latest) {
      const before = this.resolved.get(territoryId);
      const entry = before?.newest === newest ? before : { newest, inForce: await this.newestValid(territoryId, newest, before?.inForce) };
      resolved.set(territoryId, entry);
      if (entry.inForce !== undefined) next.set(territoryId, entry.inForce);
    }
    // One swap: a triage sees the old map or the new one, never a mix.
    this.resolved = resolved;
    this.byTerritory = next;
    this.loaded = true;
  }

  /**
   * The newest stored version that still parses. A document that does not
   * (written by hand, or by an older release with looser rules) is skipped
   * loudly, and the version below it stays in force; the national default
   * applies only if none parses.
   */
  private async newestValid(territoryId: string, newest: number, known: RuleSetInForce | undefined): Promise<RuleSetInForce | undefined> {
    for (let version: number | undefined = newest; version !== undefined;) {
      if (known !== undefined && known.version === version) return known;
      const row = await storedRuleSet(this.options.db, territoryId, version);
      if (row !== undefined) {
        const parsed = parseRuleSet(row.document);
        if (parsed.ok) {
          this.options.logger.info({ territory: territoryId, version }, 'triage rule set in force');
          return {
            source: 'territory', version, compiled: compileRuleSet(parsed.ruleSet, version),
            createdAt: row.createdAt, createdBy: row.createdBy, note: row.note,
          };
        }
        this.options.logger.error({ territory: territoryId, version, errors: parsed.errors.slice(0, 5) }, 'stored triage rule set is invalid; skipped');
      }
      version = await previousVersion(this.options.db, territoryId, version);
    }
    this.options.logger.error({ territory: territoryId }, 'no stored triage rule set of this territory is valid; the national default applies');
    return undefined;
  }
}
