// The query walk: through the occupied periods from `from`, one period at a
// time. Within a period each lane's bucket is read front to back on its own,
// in one tight loop, under a bound: once one bucket alone has given the `need`
// matches still missing, nothing that starts later than the last of them can
// make the answer, in that bucket or the next ones (ties at that instant are
// still read). The period's matches are then sorted by (start, distance, id)
// and the first `need` kept. Periods are disjoint spans of time, so once a
// period has completed the answer nothing later can rank before it. Reading
// each bucket straight through (rather than interleaving the lanes instant by
// instant) is what keeps a selective query that must read thousands of slots
// cheap. Only the `limit` rows kept become FreeSlot objects.
import type { Candidate } from './free-slot.js';
import { ROW, START, STRIDE, TAGS, bucketOf, type TimeBucket } from './time-bucket.js';
import { REJECTED, type QueryFilter } from './query-filter.js';
import type { TimeLane } from './time-lane.js';

// Scratch space reused by every call: match is synchronous, so one set is
// enough, and a query allocates only its answer.
const laneAt: number[] = [];
/** The answer so far: rows and their distances (NO_DISTANCE without `near`), in answer order. */
const foundRows: number[] = [];
const foundKm: number[] = [];
/** The current period's matches, in reading order. */
const pendingRows: number[] = [];
const pendingKm: number[] = [];
const pendingStart: number[] = [];
/** Which of the period's buckets each pending match came from. */
const pendingBucket: number[] = [];
/** The current period's matches as positions in the pending arrays, sorted. */
const order: number[] = [];

export function collectEarliest(lanes: readonly TimeLane[], filter: QueryFilter, limit: number): Candidate[] {
  foundRows.length = 0;
  foundKm.length = 0;
  const fromPeriod = bucketOf(filter.from);
  const untilPeriod = bucketOf(filter.until);
  laneAt.length = 0;
  for (const lane of lanes) laneAt.push(lane.firstBucketFrom(fromPeriod));

  while (foundRows.length < limit) {
    // The next occupied period of any lane.
    let next = Infinity;
    for (let k = 0; k < lanes.length; k++) {
      const period = lanes[k]!.periods[laneAt[k]!];
      if (period !== undefined && period < next) next = period;
    }
    if (!(next <= untilPeriod)) break;

    const need = limit - foundRows.length;
    let bound = Infinity;
    for (let k = 0; k < lanes.length; k++) {
      if (lanes[k]!.periods[laneAt[k]!] !== next) continue;
      const bucket = lanes[k]!.buckets[laneAt[k]!]!;
      const first = next === fromPeriod ? bucket.firstStartingAtOrAfter(filter.from) : 0;
      bound = readBucket(bucket, k, first, filter, need, bound);
      laneAt[k]!++;
    }
    keepEarliest(filter, need);
  }
  const n = Math.min(limit, foundRows.length);
  const answer: Candidate[] = new Array<Candidate>(n);
  for (let i = 0; i < n; i++) answer[i] = filter.candidate(foundRows[i]!, foundKm[i]!);
  return answer;
}

/**
 * Reads the bucket from entry `first` while starts are ≤ bound and before
 * `until`, adding its matches to the pending ones. Returns the bound for the
 * buckets read after it: the start of this bucket's need-th match, if lower.
 */
function readBucket(bucket: TimeBucket, lane: number, first: number, filter: QueryFilter, need: number, bound: number): number {
  const facts = bucket.facts;
  const end = bucket.length * STRIDE;
  const until = filter.until;
  const modalities = filter.modalities;
  const skillMask = filter.skillMask;
  let matched = 0;
  for (let j = first * STRIDE; j < end; j += STRIDE) {
    const start = facts[j + START]!;
    if (start > bound || !(start < until)) break;
    // The tag test first, inline: it turns away most slots a selective query reads.
    const tags = facts[j + TAGS]!;
    if ((tags & modalities) === 0 || (tags & skillMask) !== skillMask) continue;
    const km = filter.test(facts, j);
    if (km === REJECTED) continue;
    pendingRows.push(facts[j + ROW]!);
    pendingKm.push(km);
    pendingStart.push(start);
    pendingBucket.push(lane);
    if (++matched === need) bound = start; // ties at this instant are still read
  }
  return bound;
}

/**
 * Moves the period's `need` earliest matches, by (start, distance, id), to
 * the answer. Within one query either every match has a distance or none has,
 * so distances compare as numbers. Few matches go through an insertion sort
 * (no allocation); many through Array.sort.
 */
function keepEarliest(filter: QueryFilter, need: number): void {
  const m = pendingRows.length;
  order.length = 0;
  for (let i = 0; i < m; i++) order.push(i);
  sortingFor = filter;
  if (m > 16) order.sort(before);
  else {
    for (let i = 1; i < m; i++) {
      const p = order[i]!;
      let j = i - 1;
      for (; j >= 0 && before(order[j]!, p) > 0; j--) order[j + 1] = order[j]!;
      order[j + 1] = p;
    }
  }
  const kept = Math.min(need, m);
  for (let i = 0; i < kept; i++) {
    foundRows.push(pendingRows[order[i]!]!);
    foundKm.push(pendingKm[order[i]!]!);
  }
  pendingRows.length = 0;
  pendingKm.length = 0;
  pendingStart.length = 0;
  pendingBucket.length = 0;
  sortingFor = null;
}

// The comparator is a plain function over module state, not a closure made
// per call: a closure costs an allocation (and, under tsx, a name) per query.
let sortingFor: QueryFilter | null = null;
function before(a: number, b: number): number {
  const byTime = pendingStart[a]! - pendingStart[b]! || pendingKm[a]! - pendingKm[b]!;
  if (byTime !== 0) return byTime;
  // A bucket is sorted by (start, id): two matches of one bucket with the
  // same start were read in id order, and reading order is pending order.
  if (pendingBucket[a] === pendingBucket[b]) return a - b;
  return sortingFor!.compareIds(pendingRows[a]!, pendingRows[b]!);
}
