// The free slots of one (territory, profession): its non-empty time buckets,
// kept in a short array sorted by period, so a query finds its first bucket
// by binary search and then walks occupied periods only.
import type { FreeSlot } from '../../../src/core/index/free-slot.js';
import { TimeBucket, bucketOf } from './time-bucket.js';

export class TimeLane {
  /** Non-empty buckets, ascending by period. */
  readonly buckets: TimeBucket[] = [];
  size = 0;

  /** Index of the first bucket whose period is ≥ period. */
  firstBucketFrom(period: number): number {
    let lo = 0;
    let hi = this.buckets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buckets[mid]!.period < period) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(slot: FreeSlot, tags: number): void {
    const period = bucketOf(slot.start);
    const at = this.firstBucketFrom(period);
    let bucket = this.buckets[at];
    if (bucket === undefined || bucket.period !== period) {
      bucket = new TimeBucket(period);
      this.buckets.splice(at, 0, bucket); // a new period: rare next to slot updates
    }
    bucket.insert(slot, tags);
    this.size++;
  }

  /** Removes this exact object; false if it is not filed here. */
  remove(slot: FreeSlot): boolean {
    const at = this.firstBucketFrom(bucketOf(slot.start));
    const bucket = this.buckets[at];
    if (bucket === undefined || !bucket.remove(slot)) return false;
    if (bucket.slots.length === 0) this.buckets.splice(at, 1);
    this.size--;
    return true;
  }

  /** Drops every slot with start < now, reporting each; returns how many. */
  evictStartedBefore(now: number, onEvicted: (slot: FreeSlot) => void): number {
    const nowPeriod = bucketOf(now);
    const past = this.firstBucketFrom(nowPeriod);
    let evicted = 0;
    for (let b = 0; b < past; b++) {
      const bucket = this.buckets[b]!;
      for (const slot of bucket.slots) onEvicted(slot);
      evicted += bucket.slots.length;
    }
    if (past > 0) this.buckets.splice(0, past);
    const current = this.buckets[0];
    if (current !== undefined && current.period === nowPeriod) {
      const started = current.firstStartingAtOrAfter(now);
      for (let i = 0; i < started; i++) onEvicted(current.slots[i]!);
      if (started === current.slots.length) this.buckets.shift();
      else if (started > 0) current.dropFirst(started);
      evicted += started;
    }
    this.size -= evicted;
    return evicted;
  }
}
