// Free slots by professional RPPS. The SAS Slot search names 1 to 25
// practitioners; scanning a million-slot index per request would not do, so
// this secondary view maps RPPS → slot ids, fed by the sync's change feed.
// The SlotIndex stays the truth: every read re-checks each id there. So the
// view only ever adds ids; one whose slot left the index (taken, or evicted
// by the rolling horizon, which tells nobody) is dropped when read, and a slow
// background sweep drops those nobody reads. Holding one Set entry per free
// slot and no reverse map keeps it to ~30 bytes a slot beside the index
// (measured: 29 MB for 1,000,000 slots).
import type { FreeSlot, FreeSlotIndex } from '../../core/index/index.js';
import type { SlotAvailabilityChange } from './index-sync.js';

export interface SlotChangeFeed {
  onChange(listener: (change: SlotAvailabilityChange) => void): () => void;
}

export class ProfessionalSlotView {
  private readonly byRpps = new Map<string, Set<string>>();
  private sweepCursor: IterableIterator<[string, Set<string>]> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly index: FreeSlotIndex) {}

  /** Follows the feed and files what the index already holds; returns the unsubscribe. */
  attach(feed: SlotChangeFeed): () => void {
    const detach = feed.onChange((change) => {
      if (!change.available) return; // dropped on its next read or sweep
      const slot = this.index.get(change.slotId);
      if (slot !== undefined) this.file(slot.id, slot.professional.rpps);
    });
    for (const slot of this.index.values()) this.file(slot.id, slot.professional.rpps);
    return detach;
  }

  /** The professional's free slots as the index holds them now, in no particular order. */
  slotsOf(rpps: string): FreeSlot[] {
    const ids = this.byRpps.get(rpps);
    if (ids === undefined) return [];
    const slots: FreeSlot[] = [];
    for (const id of ids) {
      const slot = this.index.get(id);
      if (slot !== undefined && slot.professional.rpps === rpps) slots.push(slot);
      else this.drop(rpps, ids, id, slot?.professional.rpps);
    }
    return slots;
  }

  /** Slot ids held, stale ones included. */
  get size(): number {
    let n = 0;
    for (const ids of this.byRpps.values()) n += ids.size;
    return n;
  }

  /**
   * Checks ids against the index, a professional at a time, until `budget` ids
   * were checked (at least one professional's), resuming where the last call stopped.
   * Counted in ids, not professionals: its cost must not grow with slots per professional.
   */
  sweep(budget: number): number {
    let dropped = 0;
    for (let checked = 0; checked < budget;) {
      this.sweepCursor ??= this.byRpps.entries();
      const next = this.sweepCursor.next();
      if (next.done === true) { this.sweepCursor = null; break; }
      const [rpps, ids] = next.value;
      checked += ids.size;
      for (const id of ids) {
        // Checked without building the slot: the sweep reads 20,000 ids a second, under load too.
        const professional = this.index.professionalOf(id);
        if (professional === undefined || professional.rpps !== rpps) { this.drop(rpps, ids, id, professional?.rpps); dropped++; }
      }
    }
    return dropped;
  }

  /**
   * Sweeps `budget` ids every `everyMs`. Default: 20,000 ids a second in slices
   * of ~1 ms, so 1,000,000 slots in under a minute, whatever their spread over
   * professionals (it was 250 professionals a slice: 24,000 ids for 96 slots each).
   */
  startSweeping(everyMs = 250, budget = 5_000): void {
    this.timer ??= setInterval(() => this.sweep(budget), everyMs);
    this.timer.unref();
  }

  stopSweeping(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private file(id: string, rpps: string): void {
    let ids = this.byRpps.get(rpps);
    if (ids === undefined) this.byRpps.set(rpps, (ids = new Set()));
    ids.add(id);
  }

  /** A stale id: gone from the index, or (rarely) its slot moved to another professional. */
  private drop(rpps: string, ids: Set<string>, id: string, nowOf: string | undefined): void {
    ids.delete(id);
    if (ids.size === 0) this.byRpps.delete(rpps);
    if (nowOf !== undefined) this.file(id, nowOf);
  }
}
