// The query walk: through the occupied periods from `from`, across the lanes
// of the requested professions, one start instant at a time. Once a whole
// instant has been read and `limit` candidates are in hand, nothing later can
// rank before them (later instants start later; ties on this instant were all
// seen and sorted), so the walk stops there.
import type { Candidate } from '../../../src/core/index/free-slot.js';
import { compareSameStart } from '../../../src/core/index/candidate-order.js';
import { START, STRIDE, bucketOf, type TimeBucket } from './time-bucket.js';
import type { QueryFilter } from './query-filter.js';
import type { TimeLane } from './time-lane.js';

// Scratch space reused by every call: match is synchronous, so one set is
// enough, and a query allocates only its answer.
const laneAt: number[] = [];
const period: TimeBucket[] = [];
const cursor: number[] = [];

export function collectEarliest(lanes: readonly TimeLane[], filter: QueryFilter, limit: number): Candidate[] {
  const found: Candidate[] = [];
  const fromPeriod = bucketOf(filter.from);
  const untilPeriod = bucketOf(filter.until);
  laneAt.length = 0;
  for (const lane of lanes) laneAt.push(lane.firstBucketFrom(fromPeriod));

  for (;;) {
    // The next occupied period of any lane.
    let next = Infinity;
    for (let k = 0; k < lanes.length; k++) {
      const bucket = lanes[k]!.buckets[laneAt[k]!];
      if (bucket !== undefined && bucket.period < next) next = bucket.period;
    }
    if (!(next <= untilPeriod)) break;

    period.length = 0;
    cursor.length = 0;
    for (let k = 0; k < lanes.length; k++) {
      const bucket = lanes[k]!.buckets[laneAt[k]!];
      if (bucket === undefined || bucket.period !== next) continue;
      period.push(bucket);
      cursor.push(next === fromPeriod ? bucket.firstStartingAtOrAfter(filter.from) : 0);
      laneAt[k]!++;
    }
    if (drainPeriod(filter, limit, found)) break;
  }
  period.length = 0; // hold no bucket between queries
  return found;
}

/** Reads the gathered period instant by instant; true once the answer is complete. */
function drainPeriod(filter: QueryFilter, limit: number, found: Candidate[]): boolean {
  for (;;) {
    let instant = Infinity;
    for (let k = 0; k < period.length; k++) {
      const bucket = period[k]!;
      const c = cursor[k]!;
      if (c < bucket.slots.length) {
        const start = bucket.facts[c * STRIDE + START]!;
        if (start < instant) instant = start;
      }
    }
    if (instant === Infinity) return false; // period exhausted, go on to the next
    if (!(instant < filter.until)) return true; // everything further starts too late

    const sameInstantFrom = found.length;
    for (let k = 0; k < period.length; k++) {
      const bucket = period[k]!;
      const facts = bucket.facts;
      const n = bucket.slots.length;
      let c = cursor[k]!;
      for (; c < n && facts[c * STRIDE + START] === instant; c++) {
        const candidate = filter.candidateAt(bucket, c);
        if (candidate !== undefined) found.push(candidate);
      }
      cursor[k] = c;
    }
    if (found.length - sameInstantFrom > 1) sortTail(found, sameInstantFrom);
    if (found.length >= limit) {
      found.length = limit;
      return true;
    }
  }
}

/** Sorts found[from..] (the candidates of one instant) by distance, then id. */
function sortTail(found: Candidate[], from: number): void {
  if (found.length - from <= 16) {
    for (let i = from + 1; i < found.length; i++) {
      const c = found[i]!;
      let j = i - 1;
      for (; j >= from && compareSameStart(found[j]!, c) > 0; j--) found[j + 1] = found[j]!;
      found[j + 1] = c;
    }
    return;
  }
  const tail = found.splice(from).sort(compareSameStart);
  for (const c of tail) found.push(c);
}
