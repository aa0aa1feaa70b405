// One period (a quarter of a UTC day) of one (territory, profession): its
// slots sorted by (start, id), as the facts the matcher filters on packed in
// one array of doubles (start, site latitude, site longitude, tags, row). A
// query reads that array front to back and turns to a slot's row in the
// columns (slot-columns.ts) only once the slot has matched, so a scan costs
// sequential reads instead of a cache miss per slot. A plain number[] (V8
// stores it as raw doubles in the heap) rather than a Float64Array: thousands
// of small typed arrays would each carry an off-heap buffer and fragment memory.

/** Orders two rows' slot ids (SlotColumns.compareIds). */
export interface RowIdOrder {
  compareIds(a: number, b: number): number;
}

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

/** facts[i * STRIDE + START | LAT | LON | TAGS | ROW] describe the bucket's i-th slot. */
export const START = 0;
export const LAT = 1;
export const LON = 2;
export const TAGS = 3;
export const ROW = 4;
export const STRIDE = 5;

/**
 * A removed slot stays in place as a tombstone until the bucket compacts: its
 * start (the order stays sorted), no tags and row -1. Every live slot has a
 * modality bit and every query accepts at least one modality, so the
 * matcher's tag test rejects a tombstone with no extra check
 * (query-filter.ts). Removing in place is why a booking costs the index
 * O(log n) instead of shifting the rest of a bucket that can hold thousands
 * of slots (9,600 in the booking benchmark: about 30 µs a booking).
 */
export const TOMBSTONE_TAGS = 0;
const TOMBSTONE_ROW = -1;

export class TimeBucket {
  /** bucketOf() of every start in it. */
  readonly period: number;
  /** Sorted by (start, id); tombstones keep their place. */
  readonly facts: number[] = [];
  /** Live slots (the rest of the entries are tombstones). */
  live = 0;
  /**
   * False once append() has put an entry out of order; sort() restores the
   * order every other method relies on (TimeLane sorts before any of them).
   */
  sorted = true;

  constructor(period: number) {
    this.period = period;
  }

  /** How many entries it holds, tombstones included. */
  get length(): number {
    return this.facts.length / STRIDE;
  }

  /** Whether entry i is a removed slot's tombstone. */
  isTombstone(i: number): boolean {
    return this.facts[i * STRIDE + ROW]! === TOMBSTONE_ROW;
  }

  startAt(i: number): number {
    return this.facts[i * STRIDE + START]!;
  }

  rowAt(i: number): number {
    return this.facts[i * STRIDE + ROW]!;
  }

  /** Index of the first slot at or after (start, the id of `row`); the bucket must hold no tombstone (ids are compared). */
  private positionOf(start: number, row: number, ids: RowIdOrder): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.startAt(mid);
      if (s < start || (s === start && ids.compareIds(this.rowAt(mid), row) < 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first slot starting at or after t. */
  firstStartingAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.startAt(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(row: number, start: number, lat: number, lon: number, tags: number, ids: RowIdOrder): void {
    // A tombstone's row may belong to another slot by now: compare ids among live slots only.
    // Inserting shifts the bucket anyway, so compacting first costs the same order.
    if (this.live < this.length) this.compact();
    const at = this.positionOf(start, row, ids);
    const facts = this.facts;
    // Shift by hand rather than splice: no garbage array per update.
    facts.push(0, 0, 0, 0, 0);
    for (let k = facts.length - 1; k >= (at + 1) * STRIDE; k--) facts[k] = facts[k - STRIDE]!;
    const j = at * STRIDE;
    facts[j + START] = start;
    facts[j + LAT] = lat;
    facts[j + LON] = lon;
    facts[j + TAGS] = tags;
    facts[j + ROW] = row;
    this.live++;
  }

  /**
   * Adds an entry at the end, in no particular order: a bulk load files each
   * slot in constant time and sorts each bucket once (sort()), where insert()
   * would search and shift the bucket for every slot of a million.
   */
  append(row: number, start: number, lat: number, lon: number, tags: number): void {
    const facts = this.facts;
    const n = facts.length;
    // Still in order when it starts strictly after the last entry (equal starts would need their ids compared).
    if (n > 0 && !(start > facts[n - STRIDE + START]!)) this.sorted = false;
    facts.push(start, lat, lon, tags, row);
    this.live++;
  }

  /** Puts the entries back in (start, id) order after appends, dropping tombstones. */
  sort(ids: RowIdOrder): void {
    if (this.sorted) return;
    if (this.live < this.length) this.compact();
    const facts = this.facts;
    const n = this.length;
    const order = new Array<number>(n);
    for (let i = 0; i < n; i++) order[i] = i * STRIDE;
    order.sort((a, b) => facts[a + START]! - facts[b + START]! || ids.compareIds(facts[a + ROW]!, facts[b + ROW]!));
    const copy = facts.slice();
    for (let i = 0; i < n; i++) {
      const from = order[i]!;
      const to = i * STRIDE;
      for (let k = 0; k < STRIDE; k++) facts[to + k] = copy[from + k]!;
    }
    this.sorted = true;
  }

  /**
   * Removes the slot of this row, filed at this start; false if it is not
   * here. It becomes a tombstone, found among the entries of its start (a
   * row is live in one entry only); tombstones are swept once they are as
   * many as the live slots, so a removal moves two entries on average.
   */
  remove(row: number, start: number): boolean {
    const facts = this.facts;
    const n = this.length;
    let at = this.firstStartingAtOrAfter(start);
    while (at < n && facts[at * STRIDE + START] === start && facts[at * STRIDE + ROW] !== row) at++;
    if (at >= n || facts[at * STRIDE + START] !== start) return false;
    facts[at * STRIDE + TAGS] = TOMBSTONE_TAGS;
    facts[at * STRIDE + ROW] = TOMBSTONE_ROW;
    this.live--;
    if (this.live === 0) facts.length = 0;
    else if (n - this.live >= Math.max(this.live, 8)) this.compact();
    return true;
  }

  /** Removes the first `count` entries, tombstones included. */
  dropFirst(count: number): void {
    for (let i = 0; i < count; i++) if (!this.isTombstone(i)) this.live--;
    this.facts.splice(0, count * STRIDE);
  }

  /** Drops the tombstones, keeping the order of the live slots. */
  private compact(): void {
    const facts = this.facts;
    let to = 0;
    for (let from = 0; from < facts.length; from += STRIDE) {
      if (facts[from + ROW] === TOMBSTONE_ROW) continue;
      if (to !== from) for (let k = 0; k < STRIDE; k++) facts[to + k] = facts[from + k]!;
      to += STRIDE;
    }
    facts.length = to;
  }
}
