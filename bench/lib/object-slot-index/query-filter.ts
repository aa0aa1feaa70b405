// A MatchQuery compiled once into masks and numbers, then tested against the
// packed facts of a bucket; the slot object is read only for a slot that
// passes (or for a skill without a bit of its own, or an exclusion list).
import type { Candidate, MatchQuery } from '../../../src/core/index/free-slot.js';
import { DistanceFrom } from '../../../src/core/index/geo.js';
import { LAT, LON, START, STRIDE, TAGS, type TimeBucket } from './time-bucket.js';
import { modalityMask, type SkillBits } from '../../../src/core/index/slot-tags.js';

// Rounding slack for the meridian pre-check: it may only ever let a slot
// through to the exact test, never reject one the exact test would accept.
const LOWER_BOUND_SLACK = 1 - 1e-9;

export class QueryFilter {
  readonly from: number;
  readonly until: number;
  /** True when no slot can match (a skill nobody has). */
  readonly impossible: boolean;
  private readonly modalities: number;
  private readonly skillMask: number;
  private readonly skillsToCheckOnObject: readonly string[] | null;
  private readonly excluded: ReadonlySet<string> | null;
  private readonly origin: DistanceFrom | null;
  private readonly maxKm: number | null;

  constructor(q: MatchQuery, skillBits: SkillBits) {
    this.from = q.from;
    this.until = q.until;
    const skills = skillBits.requirement(q.skills);
    this.impossible = skills.impossible;
    this.skillMask = skills.mask;
    this.skillsToCheckOnObject = skills.checkObject ? q.skills : null;
    this.modalities = modalityMask(q.modalities);
    this.excluded = q.excludeSlotIds !== undefined && q.excludeSlotIds.size > 0 ? q.excludeSlotIds : null;
    this.origin = q.near != null ? new DistanceFrom(q.near) : null;
    this.maxKm = this.origin !== null && q.maxDistanceKm != null ? q.maxDistanceKm : null;
  }

  /** The candidate slot i of the bucket makes, or undefined if it does not match. */
  candidateAt(bucket: TimeBucket, i: number): Candidate | undefined {
    const facts = bucket.facts;
    const j = i * STRIDE;
    const start = facts[j + START]!;
    // The walk already keeps start inside [from, until); this guard makes the
    // promise hold whatever the caller passes.
    if (!(start >= this.from && start < this.until)) return undefined;
    const tags = facts[j + TAGS]!;
    if ((tags & this.modalities) === 0 || (tags & this.skillMask) !== this.skillMask) return undefined;

    const slot = bucket.slots[i]!;
    if (this.skillsToCheckOnObject !== null && !hasAll(slot.professional.skills, this.skillsToCheckOnObject)) return undefined;
    if (this.excluded !== null && this.excluded.has(slot.id)) return undefined;
    if (this.origin === null) return { slot, distanceKm: null };

    const lat = facts[j + LAT]!;
    if (this.maxKm !== null) {
      if (this.origin.meridianKmTo(lat) * LOWER_BOUND_SLACK > this.maxKm) return undefined;
      const distanceKm = this.origin.kmTo(lat, facts[j + LON]!);
      return distanceKm <= this.maxKm ? { slot, distanceKm } : undefined;
    }
    return { slot, distanceKm: this.origin.kmTo(lat, facts[j + LON]!) };
  }
}

function hasAll(have: readonly string[], wanted: readonly string[]): boolean {
  for (let i = 0; i < wanted.length; i++) if (!have.includes(wanted[i]!)) return false;
  return true;
}
