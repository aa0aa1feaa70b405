// Keeps the in-memory SlotIndex equal to PostgreSQL's open slots.
//
// Correctness does not rest on notifications: every pass reads all rows written
// by transactions at or after a watermark, the xmin of the previous pass's
// snapshot (every older transaction had finished, so its rows were seen). A
// sequence number alone would skip a row whose transaction took its number
// early but committed late. NOTIFY only says "look now"; a lost or merged
// notification costs nothing, a reconnection triggers a pass, and a periodic
// pass is the backstop.
import type pg from 'pg';
import type { Logger } from 'pino';
import { servedTerritories, type FreeSlot, type FreeSlotIndex } from '../../core/index/index.js';
import { HINT_REFLECTED, SLOT_CHANGES_CHANNEL } from '../notifications/channels.js';
import type { Notifier, Subscription } from '../notifications/notifier.js';
import { RecentLocalWrites } from './local-writes.js';
import { readDelta } from './delta-read.js';
import { passConnection } from './pass-connection.js';
import { Directory, streamOpenSlots, toFreeSlot, type SlotRow } from './slot-rows.js';
import { debugPauseMs } from '../../core/debug-slowdown.js';

import type { IndexFeed, SlotAvailabilityChange } from '../../usecases/index-feed.js';

export type { SlotAvailabilityChange } from '../../usecases/index-feed.js';

export interface IndexSyncOptions {
  /** The instance's notification connection (src/db/notifications). */
  notifier: Notifier;
  pool: pg.Pool;
  /** One connection for the catch-up passes when every pooled one is busy (pass-connection.ts); none: they wait for the pool. */
  reserve?: pg.Pool;
  index: FreeSlotIndex;
  logger: Logger;
  /** How far ahead the index holds slots; INDEX_WINDOW_MS by default. */
  windowMs?: number;
  backstopMs?: number;
  /** REFLECTED_PASS_DELAY_MS by default. */
  reflectedPassDelayMs?: number;
  now?: () => number;
}

export interface IndexSyncStatus {
  loaded: boolean;
  listenerConnected: boolean;
  lastPassOk: boolean;
  lastAppliedSeq: number;
  /** How long the oldest unapplied notification has waited, in ms (0 when caught up). */
  lagMs: number;
  size: number;
}

const HOUR = 3_600_000;

/**
 * How far ahead the index holds slots. Two readers: /v1/match, which clamps
 * itself to its 48-hour horizon (src/usecases/match.ts), and the SAS Slot
 * search, which asks up to the end of the local day D+2 (the certification
 * kit's window, issue 14). From any instant that end is under 72 h away, 73 h
 * across a DST change; the window moves once a minute: 74 h covers both.
 */
export const INDEX_WINDOW_MS = 74 * HOUR;

/**
 * How long this instance's catch-up pass may wait after its own hint of writes it has already
 * reflected (a hold, a booking: the slot left the index before the answer). Nothing here is
 * stale meanwhile; the pass still comes, to take in what only a read gives (a hold's expiry
 * time, the watermark), and every write of the interval goes in one pass instead of one pass
 * every few bookings. Kept short so that a pass stays small (~100 rows at 2,000 bookings/s).
 */
export const REFLECTED_PASS_DELAY_MS = 50;

export class IndexSync implements IndexFeed {
  private readonly directory = new Directory();
  // Hints come through the instance's notifier; the passes read on the pool (or
  // the reserve, pass-connection.ts), not on the notifier's connection: each is
  // a repeatable-read transaction of several statements, and the full load
  // streams the whole window (seconds on a large dataset), which would hold up
  // every other channel's hints.
  private readonly subscription: Subscription;
  /** Slots under a live hold: not matchable until the hold expires. */
  private readonly held = new Map<string, { row: SlotRow; until: number }>();
  private readonly changeListeners = new Set<(change: SlotAvailabilityChange) => void>();
  /** Slots this instance took, dropped before its answer (read-your-writes; see local-writes.ts). */
  private readonly localWrites = new RecentLocalWrites();
  /** Snapshot passes (full load and catch-up) begun so far. */
  private passesBegun = 0;
  /** catchUp() callers, each waiting for a pass numbered above `after` (not for the whole pass loop, which a steady flow of hints can keep busy). */
  private readonly passWaiters: { after: number; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private readonly windowMs: number;
  private readonly now: () => number;
  private watermark: string | null = null;
  private windowEnd = 0;
  private loaded = false;
  private lastPassOk = false;
  private lastAppliedSeq = 0;
  private pendingSince: number | null = null;
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private deferredPass: NodeJS.Timeout | null = null;
  private passesBeforeDeferredHint = 0;

  constructor(private readonly options: IndexSyncOptions) {
    this.windowMs = options.windowMs ?? INDEX_WINDOW_MS;
    this.now = options.now ?? Date.now;
    this.subscription = options.notifier.subscribe({
      channels: [SLOT_CHANGES_CHANNEL],
      onNotification: (_channel, payload, fromSelf) => {
        if (fromSelf && payload === HINT_REFLECTED) this.requestDeferredPass(); else this.requestPass();
      },
      onConnected: () => { if (this.loaded) this.requestPass(); },
      onDisconnected: (error) => options.logger.warn({ err: error }, 'index listener disconnected; reconnecting'),
    });
  }

  /** Connects the listener, loads every open slot in the window, and starts the timers. */
  async start(): Promise<void> {
    await this.subscription.listening();
    // LISTEN is in place before the load's snapshot, so nothing falls between.
    await this.serialised(() => this.fullLoad());
    const backstop = this.options.backstopMs ?? 5_000;
    this.timers.push(setInterval(() => this.requestPass(), backstop));
    this.timers.push(setInterval(() => this.releaseExpiredHolds(), 1_000));
    this.timers.push(setInterval(() => void this.serialised(() => this.moveWindow()).catch(() => {}), 60_000));
  }

  get isListenerConnected(): boolean {
    return this.options.notifier.isConnected;
  }

  /** For fault-injection tests: the PostgreSQL backend pid of the LISTEN connection (the instance's notifier). */
  get listenerBackendPid(): number | null {
    return this.options.notifier.backendPid;
  }

  status(): IndexSyncStatus {
    return {
      loaded: this.loaded,
      listenerConnected: this.options.notifier.isConnected,
      lastPassOk: this.lastPassOk,
      lastAppliedSeq: this.lastAppliedSeq,
      lagMs: this.pendingSince === null ? 0 : this.now() - this.pendingSince,
      size: this.options.index.size,
    };
  }

  /** Called for each slot that becomes matchable or stops being so. */
  onChange(listener: (change: SlotAvailabilityChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Runs a catch-up pass soon; calls made while one runs merge into one more pass. */
  requestPass(): void {
    if (this.stopped || !this.loaded) return;
    this.pendingSince ??= this.now();
    void this.serialised(() => this.deltaPass()).catch(() => {});
  }

  /**
   * A pass within REFLECTED_PASS_DELAY_MS, unless one begins before: this instance's own
   * writes the hint announces are already reflected (reflectTaken), so the index is not behind.
   */
  private requestDeferredPass(): void {
    if (this.stopped || !this.loaded) return;
    this.passesBeforeDeferredHint = this.passesBegun;
    this.deferredPass ??= setTimeout(() => {
      this.deferredPass = null;
      // A pass that began after the latest such hint read what every one of them announced.
      if (this.passesBegun === this.passesBeforeDeferredHint) this.requestPass();
    }, this.options.reflectedPassDelayMs ?? REFLECTED_PASS_DELAY_MS);
  }

  /**
   * Read-your-writes: a write of this instance has committed the slot as held,
   * booked or blocked, at this change_seq. It leaves the index now, before the
   * caller answers; the catch-up passes agree with it (local-writes.ts).
   */
  reflectTaken(slotId: string, changeSeq: number): void {
    const indexed = this.options.index.get(slotId);
    const held = this.held.get(slotId);
    // A pass already applied a later change of this slot: that is the truth.
    if ((indexed !== undefined && indexed.seq > changeSeq) || (held !== undefined && held.row[9] > changeSeq)) return;
    this.localWrites.record(slotId, changeSeq, this.passesBegun);
    this.drop(slotId, null);
  }

  /** Resolves once everything committed before the call is in the index. */
  async catchUp(): Promise<void> {
    this.pendingSince ??= this.now();
    // A pass that began after this call has read everything committed before it.
    const mark = this.passesBegun;
    if (this.stopped || this.watermark === null) return this.serialised(() => this.deltaPass());
    const done = new Promise<void>((resolve, reject) => this.passWaiters.push({ after: mark, resolve, reject }));
    // A failed pass rejects the waiters itself; the loop's own rejection is theirs to see, not ours.
    this.serialised(() => this.deltaPass()).catch(() => {});
    return done;
  }

  /** Ends the waits of callers whose pass has now completed (or, with an error, failed). */
  private settleWaiters(completedPass: number, error?: unknown): void {
    for (let i = this.passWaiters.length - 1; i >= 0; i--) {
      const waiter = this.passWaiters[i]!;
      if (error === undefined && waiter.after >= completedPass) continue;
      this.passWaiters.splice(i, 1);
      if (error === undefined) waiter.resolve(); else waiter.reject(error);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.settleWaiters(Number.MAX_SAFE_INTEGER);
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    if (this.deferredPass !== null) clearTimeout(this.deferredPass);
    this.deferredPass = null;
    await this.subscription.unsubscribe();
    await this.running?.catch(() => {});
  }

  // One pass at a time; requests during a pass collapse into a single rerun.
  private serialised(pass: () => Promise<void>): Promise<void> {
    if (this.running !== null) {
      this.rerun = true;
      return this.running;
    }
    // `running` is cleared in the same step as the last check of `rerun`, so no request falls between.
    this.running = (async () => {
      try {
        do {
          this.rerun = false;
          await pass();
        } while (this.rerun && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async fullLoad(): Promise<void> {
    this.passesBegun++;
    const client = await this.options.pool.connect();
    try {
      await client.query('begin isolation level repeatable read read only');
      const snapshot = await client.query<{ xmin: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as xmin');
      await this.directory.loadAll(client);
      const now = this.now();
      this.windowEnd = now + this.windowMs;
      let loaded = 0;
      this.options.index.beginBulkLoad();
      try {
        for await (const rows of streamOpenSlots(client, now, this.windowEnd)) {
          for (const row of rows) this.apply(row, now);
          loaded += rows.length;
        }
      } finally {
        this.options.index.endBulkLoad();
      }
      await client.query('commit');
      this.watermark = snapshot.rows[0]!.xmin;
      this.loaded = true;
      this.lastPassOk = true;
      this.options.logger.info({ loaded, indexed: this.options.index.size }, 'slot index loaded');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async deltaPass(): Promise<void> {
    if (this.watermark === null) return;
    const startedWaiting = this.pendingSince;
    const pass = ++this.passesBegun;
    let client: pg.PoolClient | null = null;
    try {
      client = await passConnection(this.options.pool, this.options.reserve);
      const delta = await readDelta(client, this.watermark);
      this.directory.applyProfessionals(delta.professionals);
      this.directory.applySites(delta.sites);
      // 0 unless SNP_DEBUG_SLOWDOWN says so (bench guards). After the read, so that every change the pass
      // carries waits the whole pause: paused before it, a pass already waiting when the changes began
      // read them all with less than the pause still to run, and the guard it tests passed in one run.
      const pause = debugPauseMs('index');
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      const now = this.now();
      for (const row of delta.changed) this.apply(row, now);
      for (const [slotId, seq] of delta.deleted) {
        this.drop(slotId, null);
        if (seq > this.lastAppliedSeq) this.lastAppliedSeq = seq;
      }
      this.watermark = delta.xmin;
      this.localWrites.settle(pass);
      this.lastPassOk = true;
      this.settleWaiters(pass);
      // Only what was waiting when this pass began is now surely applied.
      if (this.pendingSince === startedWaiting) this.pendingSince = null;
    } catch (error) {
      this.lastPassOk = false;
      this.settleWaiters(pass, error);
      await client?.query('rollback').catch(() => {});
      this.options.logger.warn({ err: error }, 'index catch-up failed; will retry');
      throw error;
    } finally {
      client?.release();
    }
  }

  private apply(row: SlotRow, now: number): void {
    const [id, territoryId, , , , startMs, , status, heldUntilMs, seq] = row;
    if (seq > this.lastAppliedSeq) this.lastAppliedSeq = seq;
    // Read before this instance's own later write of the slot: already superseded.
    if (this.localWrites.isStale(id, seq)) return;
    const inWindow = startMs >= now && startMs < this.windowEnd;
    if (!inWindow || status === 'booked' || status === 'blocked') return this.drop(id, territoryId);
    if (status === 'held' && heldUntilMs !== null && heldUntilMs > now) {
      this.held.set(id, { row, until: heldUntilMs });
      return this.drop(id, territoryId, false);
    }
    // Skipped while nothing is held: a Map lookup hashes the fresh id string (about 0.3 µs, a million times in a load).
    if (this.held.size > 0) this.held.delete(id);
    const slot = toFreeSlot(row, this.directory);
    if (slot === null) {
      this.options.logger.error({ slotId: id }, 'slot refers to an unknown professional or site; skipped');
      return;
    }
    const was = this.options.index.upsert(slot);
    if (was === undefined) this.emitServed(slot, true);
    // Offered in another set of territories (a membership changed): those it left see it go.
    else for (const territory of servedTerritories(was)) {
      if (!servedTerritories(slot).includes(territory)) this.emit({ slotId: id, territoryId: territory, available: false });
    }
  }

  private drop(slotId: string, territoryId: string | null, forgetHold = true): void {
    if (forgetHold) this.held.delete(slotId);
    const existing = this.options.index.get(slotId);
    if (existing === undefined) return;
    this.options.index.remove(slotId);
    if (territoryId !== null && territoryId !== existing.territoryId) this.emit({ slotId, territoryId, available: false });
    this.emitServed(existing, false);
  }

  /** One change per territory the slot is offered in (a professional may serve several). */
  private emitServed(slot: FreeSlot, available: boolean): void {
    for (const territoryId of servedTerritories(slot)) this.emit({ slotId: slot.id, territoryId, available });
  }

  // A hold ends by the passing of time, with no write to announce it.
  private releaseExpiredHolds(): void {
    const now = this.now();
    for (const [id, { row, until }] of this.held) {
      if (until > now) continue;
      this.held.delete(id);
      this.apply([...row.slice(0, 7), 'free', null, row[9]] as SlotRow, now);
    }
  }

  // The rolling horizon: started slots leave, slots entering the window come in.
  private async moveWindow(): Promise<void> {
    const now = this.now();
    this.options.index.evictStartedBefore(now);
    for (const [id, { row }] of this.held) if (row[5] < now) this.held.delete(id);
    const oldEnd = this.windowEnd;
    const newEnd = now + this.windowMs;
    if (newEnd <= oldEnd) return;
    const client = await this.options.pool.connect();
    try {
      await this.directory.loadAll(client);
      this.windowEnd = newEnd;
      for await (const rows of streamOpenSlots(client, oldEnd, newEnd)) {
        for (const row of rows) this.apply(row, now);
      }
    } finally {
      client.release();
    }
  }

  private emit(change: SlotAvailabilityChange): void {
    for (const listener of this.changeListeners) {
      try { listener(change); } catch (error) { this.options.logger.error({ err: error }, 'slot change listener failed'); }
    }
  }
}
