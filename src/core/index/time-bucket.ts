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

export class TimeBucket {
  /** bucketOf() of every start in it. */
  readonly period: number;
  /** Sorted by (start, id). */
  readonly facts: number[] = [];

  constructor(period: number) {
    this.period = period;
  }

  /** How many slots it holds. */
  get length(): number {
    return this.facts.length / STRIDE;
  }

  startAt(i: number): number {
    return this.facts[i * STRIDE + START]!;
  }

  rowAt(i: number): number {
    return this.facts[i * STRIDE + ROW]!;
  }

  /** Index of the first slot at or after (start, the id of `row`). */
  positionOf(start: number, row: number, ids: RowIdOrder): number {
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
  }

  /** Removes the slot of this row, filed at this start; false if it is not here. */
  remove(row: number, start: number, ids: RowIdOrder): boolean {
    const at = this.positionOf(start, row, ids);
    const n = this.length;
    if (at >= n || this.rowAt(at) !== row) return false;
    const facts = this.facts;
    for (let k = at * STRIDE; k < (n - 1) * STRIDE; k++) facts[k] = facts[k + STRIDE]!;
    facts.length = (n - 1) * STRIDE;
    return true;
  }

  /** Removes the first `count` slots. */
  dropFirst(count: number): void {
    this.facts.splice(0, count * STRIDE);
  }
}
