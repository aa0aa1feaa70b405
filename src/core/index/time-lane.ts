// The free slots of one (territory, profession): its non-empty time buckets,
// kept in a short array sorted by period, so a query finds its first bucket
// by binary search and then walks occupied periods only. Slots are rows of
// the index's columns (slot-columns.ts).
import { TimeBucket, bucketOf, type RowIdOrder } from './time-bucket.js';

export class TimeLane {
  /** Non-empty buckets, ascending by period. */
  readonly buckets: TimeBucket[] = [];
  /**
   * periods[i] = buckets[i].period: the search reads one array of numbers
   * instead of a bucket object per probe (each a cache miss when cold).
   */
  readonly periods: number[] = [];
  size = 0;
  /**
   * Buckets append() has put out of order, each once; sorted by settle() before any other use.
   * Undefined when there are none: a match tests the field, without reaching for an array.
   */
  private unsorted: TimeBucket[] | undefined;

  constructor(private readonly ids: RowIdOrder) {}

  /** True while appended slots wait for settle(): the lane's buckets may not be read until then. */
  get unsettled(): boolean {
    return this.unsorted !== undefined;
  }

  /** Sorts the buckets appends left out of order. */
  settle(): void {
    if (this.unsorted === undefined) return;
    for (const bucket of this.unsorted) bucket.sort(this.ids);
    this.unsorted = undefined;
  }

  /** Index of the first bucket whose period is ≥ period. */
  firstBucketFrom(period: number): number {
    let lo = 0;
    let hi = this.periods.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.periods[mid]! < period) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Files a slot in its place: the bucket stays sorted, ready for the next match. */
  insert(row: number, start: number, lat: number, lon: number, tags: number): void {
    if (this.unsorted !== undefined) this.settle();
    this.bucketFor(start).insert(row, start, lat, lon, tags, this.ids);
    this.size++;
  }

  /** Files a slot at the end of its bucket, for a bulk load: settle() must follow before the lane is read. */
  append(row: number, start: number, lat: number, lon: number, tags: number): void {
    const bucket = this.bucketFor(start);
    const wasSorted = bucket.sorted;
    bucket.append(row, start, lat, lon, tags);
    if (wasSorted && !bucket.sorted) (this.unsorted ??= []).push(bucket);
    this.size++;
  }

  private bucketFor(start: number): TimeBucket {
    const period = bucketOf(start);
    const at = this.firstBucketFrom(period);
    let bucket = this.buckets[at];
    if (bucket === undefined || bucket.period !== period) {
      bucket = new TimeBucket(period);
      this.buckets.splice(at, 0, bucket); // a new period: rare next to slot updates
      this.periods.splice(at, 0, period);
    }
    return bucket;
  }

  /** Removes the slot of this row, filed at this start; false if it is not filed here. */
  remove(row: number, start: number): boolean {
    if (this.unsorted !== undefined) this.settle();
    const at = this.firstBucketFrom(bucketOf(start));
    const bucket = this.buckets[at];
    if (bucket === undefined || bucket.period !== bucketOf(start) || !bucket.remove(row, start)) return false;
    if (bucket.live === 0) {
      this.buckets.splice(at, 1);
      this.periods.splice(at, 1);
    }
    this.size--;
    return true;
  }

  /** Drops every slot with start < now, reporting each row; returns how many. */
  evictStartedBefore(now: number, onEvicted: (row: number) => void): number {
    if (this.unsorted !== undefined) this.settle();
    const nowPeriod = bucketOf(now);
    const past = this.firstBucketFrom(nowPeriod);
    let evicted = 0;
    for (let b = 0; b < past; b++) {
      const bucket = this.buckets[b]!;
      const n = bucket.length;
      for (let i = 0; i < n; i++) if (!bucket.isTombstone(i)) onEvicted(bucket.rowAt(i));
      evicted += bucket.live;
    }
    if (past > 0) {
      this.buckets.splice(0, past);
      this.periods.splice(0, past);
    }
    const current = this.buckets[0];
    if (current !== undefined && current.period === nowPeriod) {
      const started = current.firstStartingAtOrAfter(now);
      const liveBefore = current.live;
      for (let i = 0; i < started; i++) if (!current.isTombstone(i)) onEvicted(current.rowAt(i));
      if (started > 0) current.dropFirst(started);
      if (current.live === 0) {
        this.buckets.shift();
        this.periods.shift();
      }
      evicted += liveBefore - current.live;
    }
    this.size -= evicted;
    return evicted;
  }
}
