// The free slots, each offered in every territory it is served in (its own and
// its professional's other CPTS, served-territories.ts). Built around the
// single-territory SlotIndex through its public interface only, so the two
// evolve apart: the main index files every slot under its own territory, as
// before; a slot whose professional serves other territories is filed again,
// as a copy, in a small index per such territory. A match in territory T reads
// the main index and T's small one, and merges. Professionals in several CPTS
// are few, so the copies cost little, and a territory with none pays one
// Map lookup per match.
import type { Candidate, FreeSlot, MatchQuery, ProfessionalInfo } from './free-slot.js';
import { compareCandidates } from './candidate-order.js';
import { SlotIndex } from './slot-index.js';
import { otherServedTerritories } from './served-territories.js';

/** What the use cases and the sync need of an index of free slots. */
export interface FreeSlotIndex {
  readonly size: number;
  get(slotId: string): FreeSlot | undefined;
  professionalOf(slotId: string): ProfessionalInfo | undefined;
  values(): IterableIterator<FreeSlot>;
  stats(): { slots: number; lanes: number; buckets: number };
  /** Files the slot, replacing the one with its id; returns the replaced slot, if any. */
  upsert(slot: FreeSlot): FreeSlot | undefined;
  remove(slotId: string): void;
  /** Many upserts follow (SlotIndex.beginBulkLoad): cheaper to file, sorted at endBulkLoad(). */
  beginBulkLoad(): void;
  endBulkLoad(): void;
  evictStartedBefore(now: number): number;
  match(q: MatchQuery): Candidate[];
}

const NONE: readonly string[] = [];

export class ServedSlotIndex implements FreeSlotIndex {
  /** Every slot, under its own territory: the truth for get(), values() and size. */
  private readonly main = new SlotIndex();
  /** Copies of the slots served in a territory besides their own, by that territory. */
  private readonly copies = new Map<string, SlotIndex>();
  /** Which copies a slot has (only slots that have some). */
  private readonly copiedTo = new Map<string, readonly string[]>();

  get size(): number {
    return this.main.size;
  }

  get(slotId: string): FreeSlot | undefined {
    return this.main.get(slotId);
  }

  professionalOf(slotId: string): ProfessionalInfo | undefined {
    return this.main.professionalOf(slotId);
  }

  values(): IterableIterator<FreeSlot> {
    return this.main.values();
  }

  stats(): { slots: number; lanes: number; buckets: number } {
    const total = this.main.stats();
    for (const index of this.copies.values()) {
      const s = index.stats();
      total.lanes += s.lanes;
      total.buckets += s.buckets;
    }
    return total;
  }

  upsert(slot: FreeSlot): FreeSlot | undefined {
    const replaced = this.main.upsert(slot); // throws before any change on a slot it cannot file
    const wanted = otherServedTerritories(slot);
    // Not even a lookup while no slot has copies: it would hash the fresh id string (about 0.3 µs, each slot of a load).
    const before = this.copiedTo.size === 0 ? NONE : this.copiedTo.get(slot.id) ?? NONE;
    for (const territory of before) if (!wanted.includes(territory)) this.copies.get(territory)?.remove(slot.id);
    for (const territory of wanted) this.copyIn(territory).upsert({ ...slot, territoryId: territory });
    if (wanted.length > 0) this.copiedTo.set(slot.id, wanted);
    else if (before.length > 0) this.copiedTo.delete(slot.id);
    return replaced;
  }

  // The copies are few: filed in place as usual.
  beginBulkLoad(): void {
    this.main.beginBulkLoad();
  }

  endBulkLoad(): void {
    this.main.endBulkLoad();
  }

  remove(slotId: string): void {
    this.main.remove(slotId);
    const copied = this.copiedTo.get(slotId);
    if (copied === undefined) return;
    for (const territory of copied) this.copies.get(territory)?.remove(slotId);
    this.copiedTo.delete(slotId);
  }

  evictStartedBefore(now: number): number {
    const evicted = this.main.evictStartedBefore(now);
    if (this.copiedTo.size > 0) {
      for (const index of this.copies.values()) index.evictStartedBefore(now);
      for (const id of this.copiedTo.keys()) if (this.main.get(id) === undefined) this.copiedTo.delete(id);
    }
    return evicted;
  }

  match(q: MatchQuery): Candidate[] {
    const own = this.main.match(q);
    const copies = this.copies.get(q.territoryId);
    if (copies === undefined || copies.size === 0) return own;
    // Each side is already the best `limit` of its slots; the answer is the best of both.
    const merged = own.concat(copies.match(q).map((c) => ({ slot: this.main.get(c.slot.id) ?? c.slot, distanceKm: c.distanceKm })));
    merged.sort(compareCandidates);
    return merged.length > q.limit ? merged.slice(0, Math.max(0, Math.floor(q.limit))) : merged;
  }

  private copyIn(territory: string): SlotIndex {
    let index = this.copies.get(territory);
    if (index === undefined) this.copies.set(territory, (index = new SlotIndex()));
    return index;
  }
}
