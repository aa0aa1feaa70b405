// A MatchQuery compiled once into masks and numbers, then tested against the
// packed facts of a bucket; the slot's row is read (and a FreeSlot built) only
// for a slot that passes (or for a skill without a bit of its own, or an
// exclusion list).
import type { Candidate, MatchQuery } from './free-slot.js';
import { DistanceFrom, longitudeGapDeg } from './geo.js';
import { LAT, LON, ROW, START, TAGS } from './time-bucket.js';
import type { SlotColumns } from './slot-columns.js';
import { modalityMask, type SkillBits } from './slot-tags.js';

// Rounding slack for the meridian pre-check: it may only ever let a slot
// through to the exact test, never reject one the exact test would accept.
const LOWER_BOUND_SLACK = 1 - 1e-9;

/** test(): the slot does not match. */
export const REJECTED = -2;
/** test(): the slot matches and the query has no `near`, so no distance. */
export const NO_DISTANCE = -1;

export class QueryFilter {
  readonly from: number;
  readonly until: number;
  /** True when no slot can match (a skill nobody has). */
  readonly impossible: boolean;
  /** A slot matches only if its tags share a bit with this (a tombstone has none). */
  readonly modalities: number;
  /** A slot matches only if its tags hold every bit of this. */
  readonly skillMask: number;
  private readonly skillsToCheckOnObject: readonly string[] | null;
  private readonly excluded: ReadonlySet<string> | null;
  private readonly origin: DistanceFrom | null;
  private readonly maxKm: number | null;
  /** With maxKm: the origin's longitude and the box's half-width in degrees (Infinity: no box). */
  private readonly originLon: number;
  private readonly lonSpan: number;

  constructor(q: MatchQuery, skillBits: SkillBits, private readonly columns: SlotColumns) {
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
    this.originLon = q.near?.lon ?? 0;
    this.lonSpan = this.maxKm !== null ? this.origin!.lonSpanDegWithin(this.maxKm) : Infinity;
  }

  /**
   * Whether the slot whose facts start at facts[j] (a bucket's) matches:
   * REJECTED, NO_DISTANCE (a match, no `near` in the query), or its distance
   * in km (≥ 0).
   */
  test(facts: readonly number[], j: number): number {
    const start = facts[j + START]!;
    // The walk already keeps start inside [from, until); this guard makes the
    // promise hold whatever the caller passes.
    if (!(start >= this.from && start < this.until)) return REJECTED;
    const tags = facts[j + TAGS]!;
    // A tombstone (TOMBSTONE_TAGS = 0) has no modality bit: rejected here, whatever the query.
    if ((tags & this.modalities) === 0 || (tags & this.skillMask) !== this.skillMask) return REJECTED;

    if (this.skillsToCheckOnObject !== null || this.excluded !== null) {
      const row = facts[j + ROW]!;
      if (this.skillsToCheckOnObject !== null && !hasAll(this.columns.professionalAt(row).skills, this.skillsToCheckOnObject)) return REJECTED;
      if (this.excluded !== null && this.excluded.has(this.columns.idOf(row))) return REJECTED;
    }
    if (this.origin === null) return NO_DISTANCE;

    const lat = facts[j + LAT]!;
    if (this.maxKm !== null) {
      if (this.origin.meridianKmTo(lat) * LOWER_BOUND_SLACK > this.maxKm) return REJECTED;
      const lon = facts[j + LON]!;
      // East or west of the cap's bounding box: too far, without the trigonometry.
      if (longitudeGapDeg(lon, this.originLon) > this.lonSpan) return REJECTED;
      const distanceKm = this.origin.kmTo(lat, lon);
      return distanceKm <= this.maxKm ? distanceKm : REJECTED;
    }
    return this.origin.kmTo(lat, facts[j + LON]!);
  }

  /** The answer's entry for a row that passed test(). */
  candidate(row: number, km: number): Candidate {
    return { slot: this.columns.slotAt(row), distanceKm: km === NO_DISTANCE ? null : km };
  }

  /** The rows' slot ids in string order (the last tie-break). */
  compareIds(a: number, b: number): number {
    return this.columns.compareIds(a, b);
  }
}

function hasAll(have: readonly string[], wanted: readonly string[]): boolean {
  for (let i = 0; i < wanted.length; i++) if (!have.includes(wanted[i]!)) return false;
  return true;
}
