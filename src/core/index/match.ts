// The query walk: through the occupied periods from `from`, across the lanes
// of the requested professions, one start instant at a time. Once a whole
// instant has been read and `limit` candidates are in hand, nothing later can
// rank before them (later instants start later; ties on this instant were all
// seen and sorted), so the walk stops there. Matches are gathered as (row,
// distance) pairs; only the `limit` kept become FreeSlot objects.
import type { Candidate } from './free-slot.js';
import { ROW, START, STRIDE, bucketOf, type TimeBucket } from './time-bucket.js';
import { REJECTED, type QueryFilter } from './query-filter.js';
import type { TimeLane } from './time-lane.js';

// Scratch space reused by every call: match is synchronous, so one set is
// enough, and a query allocates only its answer.
const laneAt: number[] = [];
const period: TimeBucket[] = [];
const cursor: number[] = [];
/** The matches so far: rows and their distances (NO_DISTANCE without `near`), in answer order. */
const foundRows: number[] = [];
const foundKm: number[] = [];

export function collectEarliest(lanes: readonly TimeLane[], filter: QueryFilter, limit: number): Candidate[] {
  foundRows.length = 0;
  foundKm.length = 0;
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
    if (drainPeriod(filter, limit)) break;
  }
  period.length = 0; // hold no bucket between queries
  const n = Math.min(limit, foundRows.length);
  const answer: Candidate[] = new Array<Candidate>(n);
  for (let i = 0; i < n; i++) answer[i] = filter.candidate(foundRows[i]!, foundKm[i]!);
  return answer;
}

/** Reads the gathered period instant by instant; true once the answer is complete. */
function drainPeriod(filter: QueryFilter, limit: number): boolean {
  for (;;) {
    let instant = Infinity;
    for (let k = 0; k < period.length; k++) {
      const bucket = period[k]!;
      const c = cursor[k]!;
      if (c < bucket.length) {
        const start = bucket.facts[c * STRIDE + START]!;
        if (start < instant) instant = start;
      }
    }
    if (instant === Infinity) return false; // period exhausted, go on to the next
    if (!(instant < filter.until)) return true; // everything further starts too late

    const sameInstantFrom = foundRows.length;
    for (let k = 0; k < period.length; k++) {
      const bucket = period[k]!;
      const facts = bucket.facts;
      const n = bucket.length;
      let c = cursor[k]!;
      for (; c < n && facts[c * STRIDE + START] === instant; c++) {
        const km = filter.test(bucket, c);
        if (km === REJECTED) continue;
        foundRows.push(facts[c * STRIDE + ROW]!);
        foundKm.push(km);
      }
      cursor[k] = c;
    }
    if (foundRows.length - sameInstantFrom > 1) sortTail(filter, sameInstantFrom);
    if (foundRows.length >= limit) return true;
  }
}

/**
 * Sorts the matches from `from` on (one instant's) by distance, then id.
 * Within one query either every match has a distance or none has, so the
 * distances compare as numbers. Ties on one instant are usually few (an
 * insertion sort, no allocation); many go through Array.sort.
 */
function sortTail(filter: QueryFilter, from: number): void {
  if (foundRows.length - from > 16) {
    const order = foundRows.slice(from).map((row, i) => ({ row, km: foundKm[from + i]! }));
    order.sort((a, b) => a.km - b.km || filter.compareIds(a.row, b.row));
    order.forEach(({ row, km }, i) => {
      foundRows[from + i] = row;
      foundKm[from + i] = km;
    });
    return;
  }
  for (let i = from + 1; i < foundRows.length; i++) {
    const row = foundRows[i]!;
    const km = foundKm[i]!;
    let j = i - 1;
    for (; j >= from; j--) {
      const otherKm = foundKm[j]!;
      if (otherKm < km || (otherKm === km && filter.compareIds(foundRows[j]!, row) <= 0)) break;
      foundRows[j + 1] = foundRows[j]!;
      foundKm[j + 1] = otherKm;
    }
    foundRows[j + 1] = row;
    foundKm[j + 1] = km;
  }
}
