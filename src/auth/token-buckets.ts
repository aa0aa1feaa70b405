// Token buckets per key (an API client, a source address): `perMinute` sustained,
// bursts up to `burst` (by default `perMinute`). Bounded: the least recently seen key is forgotten
// first (it starts again with a full bucket), so memory never grows with the
// number of keys an attacker can invent.
import { LruMap } from './lru-map.js';

interface Bucket { tokens: number; at: number }

export class TokenBuckets {
  private readonly buckets: LruMap<string, Bucket>;
  private readonly perMs: number;

  constructor(readonly perMinute: number, maxKeys = 100_000, private readonly now: () => number = Date.now, readonly burst = perMinute) {
    this.buckets = new LruMap(maxKeys);
    this.perMs = perMinute / 60_000;
  }

  /** Takes one token; undefined when granted, else the seconds until one is available. */
  take(key: string): number | undefined {
    const bucket = this.refilled(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return this.wait(bucket);
  }

  /** Gives back a token taken for something that turned out not to count. */
  giveBack(key: string): void {
    const bucket = this.refilled(key);
    bucket.tokens = Math.min(this.burst, bucket.tokens + 1);
  }

  /** Seconds until the next token when the bucket is empty, undefined when one is available (nothing taken). */
  peek(key: string): number | undefined {
    const bucket = this.refilled(key);
    return bucket.tokens >= 1 ? undefined : this.wait(bucket);
  }

  private refilled(key: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) this.buckets.set(key, bucket = { tokens: this.burst, at: now });
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    return bucket;
  }

  private wait(bucket: Bucket): number {
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }
}
