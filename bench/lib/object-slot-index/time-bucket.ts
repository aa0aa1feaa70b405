// One period (a quarter of a UTC day) of one (territory, profession): its
// slots sorted by (start, id), with the facts the matcher filters on packed
// beside them in one array of doubles (start, site latitude, site longitude,
// tags). A query reads that array front to back and touches a slot object
// only once the slot has matched, so a scan costs sequential reads instead of
// a cache miss per slot, professional and site. A plain number[] (V8 stores
// it as raw doubles in the heap) rather than a Float64Array: thousands of
// small typed arrays would each carry an off-heap buffer and fragment memory.
import type { FreeSlot } from '../../../src/core/index/free-slot.js';

/**
 * Six hours: the width of an on-call band (14:00–20:00 in Paris is exactly
 * 12:00–18:00 UTC in summer), so a band sits in one or two buckets. Wider
 * buckets mean fewer to visit per query; narrower ones, shorter shifts per
 * update.
 */
export const BUCKET_MS = 6 * 3_600_000;

/** The period an instant falls in (counted from the epoch: daylight saving never matters). */
export function bucketOf(epochMs: number): number {
  return Math.floor(epochMs / BUCKET_MS);
}

/** facts[i * STRIDE + START | LAT | LON | TAGS] describe slots[i]. */
export const START = 0;
export const LAT = 1;
export const LON = 2;
export const TAGS = 3;
export const STRIDE = 4;

export class TimeBucket {
  /** bucketOf() of every start in it. */
  readonly period: number;
  /** Sorted by (start, id). */
  readonly slots: FreeSlot[] = [];
  readonly facts: number[] = [];

  constructor(period: number) {
    this.period = period;
  }

  startAt(i: number): number {
    return this.facts[i * STRIDE + START]!;
  }

  /** Index of the first slot at or after (start, id). */
  positionOf(start: number, id: string): number {
    let lo = 0;
    let hi = this.slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.startAt(mid);
      if (s < start || (s === start && this.slots[mid]!.id < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first slot starting at or after t. */
  firstStartingAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.startAt(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(slot: FreeSlot, tags: number): void {
    const at = this.positionOf(slot.start, slot.id);
    const n = this.slots.length;
    const facts = this.facts;
    // Shift by hand rather than splice: no garbage array per update.
    facts.push(0, 0, 0, 0);
    for (let k = facts.length - 1; k >= (at + 1) * STRIDE; k--) facts[k] = facts[k - STRIDE]!;
    const j = at * STRIDE;
    facts[j + START] = slot.start;
    facts[j + LAT] = slot.site.lat;
    facts[j + LON] = slot.site.lon;
    facts[j + TAGS] = tags;
    this.slots.push(slot);
    for (let i = n; i > at; i--) this.slots[i] = this.slots[i - 1]!;
    this.slots[at] = slot;
  }

  /** Removes this exact object; false if it is not here. */
  remove(slot: FreeSlot): boolean {
    const at = this.positionOf(slot.start, slot.id);
    if (this.slots[at] !== slot) return false;
    const n = this.slots.length;
    const facts = this.facts;
    for (let k = at * STRIDE; k < (n - 1) * STRIDE; k++) facts[k] = facts[k + STRIDE]!;
    facts.length = (n - 1) * STRIDE;
    for (let i = at; i < n - 1; i++) this.slots[i] = this.slots[i + 1]!;
    this.slots.pop();
    return true;
  }

  /** Removes the first `count` slots. */
  dropFirst(count: number): void {
    this.facts.splice(0, count * STRIDE);
    this.slots.splice(0, count);
  }
}
