// Free slots by professional RPPS. The SAS Slot search names 1 to 25
// practitioners; scanning a million-slot index per request would not do, so
// this secondary view maps RPPS → slot ids, fed by the sync's change feed.
// The SlotIndex stays the truth: every read re-checks each slot there, so an
// entry the feed did not retract (the rolling horizon evicts without telling)
// is dropped on read, and a slow background sweep bounds the memory they hold.
import type { FreeSlot, SlotIndex } from '../../core/index/index.js';
import type { SlotAvailabilityChange } from './index-sync.js';

export interface SlotChangeFeed {
  onChange(listener: (change: SlotAvailabilityChange) => void): () => void;
}

export class ProfessionalSlotView {
  private readonly byRpps = new Map<string, Set<string>>();
  private readonly rppsOfSlot = new Map<string, string>();
  private sweepCursor: IterableIterator<[string, string]> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly index: SlotIndex) {}

  /** Follows the feed and files what the index already holds; returns the unsubscribe. */
  attach(feed: SlotChangeFeed): () => void {
    const detach = feed.onChange((change) => {
      if (!change.available) { this.forget(change.slotId); return; }
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
      else this.recheck(id, slot);
    }
    return slots;
  }

  get size(): number {
    return this.rppsOfSlot.size;
  }

  /** Checks up to `budget` entries against the index, resuming where the last call stopped. */
  sweep(budget: number): number {
    let fixed = 0;
    for (let i = 0; i < budget; i++) {
      this.sweepCursor ??= this.rppsOfSlot.entries();
      const next = this.sweepCursor.next();
      if (next.done === true) { this.sweepCursor = null; break; }
      const [id, rpps] = next.value;
      const slot = this.index.get(id);
      if (slot === undefined || slot.professional.rpps !== rpps) { this.recheck(id, slot); fixed++; }
    }
    return fixed;
  }

  /** Sweeps `budget` entries every `everyMs`: a full pass over 1,000,000 entries takes ~100 s by default. */
  startSweeping(everyMs = 1_000, budget = 10_000): void {
    this.timer ??= setInterval(() => this.sweep(budget), everyMs);
    this.timer.unref();
  }

  stopSweeping(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** A stale entry: gone from the index, or (rarely) moved to another professional. */
  private recheck(id: string, slot: FreeSlot | undefined): void {
    this.forget(id);
    if (slot !== undefined) this.file(id, slot.professional.rpps);
  }

  private file(id: string, rpps: string): void {
    const previous = this.rppsOfSlot.get(id);
    if (previous === rpps) return;
    if (previous !== undefined) this.forget(id);
    this.rppsOfSlot.set(id, rpps);
    let ids = this.byRpps.get(rpps);
    if (ids === undefined) this.byRpps.set(rpps, (ids = new Set()));
    ids.add(id);
  }

  private forget(id: string): void {
    const rpps = this.rppsOfSlot.get(id);
    if (rpps === undefined) return;
    this.rppsOfSlot.delete(id);
    const ids = this.byRpps.get(rpps);
    if (ids === undefined) return;
    ids.delete(id);
    if (ids.size === 0) this.byRpps.delete(rpps);
  }
}
