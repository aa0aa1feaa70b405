// The in-memory index of free slots: territory → profession → six-hour time
// buckets (TimeLane), over packed columns that hold each slot once as a row
// (SlotColumns, which also finds a row by slot id). It is a cache of
// PostgreSQL's free slots, fed by the sync; it never owns data.
import { MODALITIES, PROFESSIONS } from '../domain.js';
import type { Candidate, FreeSlot, MatchQuery, ProfessionalInfo } from './free-slot.js';
import { collectEarliest } from './match.js';
import { QueryFilter } from './query-filter.js';
import { SlotColumns } from './slot-columns.js';
import { SkillBits, modalityBit } from './slot-tags.js';
import { TimeLane } from './time-lane.js';
import { debugSlowdown } from '../debug-slowdown.js';

const PROFESSION_ORDINAL: ReadonlyMap<string, number> = new Map(PROFESSIONS.map((p, i) => [p, i]));
const MODALITY_ORDINAL: ReadonlyMap<string, number> = new Map(MODALITIES.map((m, i) => [m, i]));

export class SlotIndex {
  private readonly columns = new SlotColumns();
  /** By territory number (SlotColumns.territoryNumber), then PROFESSION_ORDINAL. */
  private readonly lanes: (TimeLane | undefined)[][] = [];
  private readonly skillBits = new SkillBits();
  /**
   * A professional's skill bits by its number in the columns, and the object
   * they were computed for (a number is reused once its professional has no
   * slot left). Skills are read once per professional instead of once per
   * slot: the skills array and each skill string are objects of their own, a
   * cache miss each when a million slots are filed in no particular order.
   * (A professional with no slot left stays referenced here until its number
   * is reused: at most one object per number.)
   */
  private readonly skillTags: number[] = [];
  private readonly skillTagsFor: (ProfessionalInfo | undefined)[] = [];
  /** Between beginBulkLoad() and endBulkLoad(): new slots are appended to their buckets, unsorted. */
  private bulk = false;
  /** No stored slot starts before this; lets a no-op eviction return at once. */
  private earliestStart = Infinity;

  get size(): number {
    return this.columns.size;
  }

  /** The stored slot, or undefined. */
  get(slotId: string): FreeSlot | undefined {
    const row = this.columns.rowOf(slotId);
    return row < 0 ? undefined : this.columns.slotAt(row);
  }

  /**
   * The professional of the stored slot, or undefined: a check that builds
   * no FreeSlot (and leaves the cache of slots handed out to the matches).
   */
  professionalOf(slotId: string): ProfessionalInfo | undefined {
    const row = this.columns.rowOf(slotId);
    return row < 0 ? undefined : this.columns.professionalAt(row);
  }

  /** Every stored slot, in no particular order (for reconciliation and oracles). */
  *values(): IterableIterator<FreeSlot> {
    for (const row of this.columns.rows()) yield this.columns.slotAt(row, false);
  }

  /** Sizes of the structure, for metrics and leak checks (walks the lanes: not for the hot path). */
  stats(): { slots: number; lanes: number; buckets: number } {
    let lanes = 0;
    let buckets = 0;
    for (const territory of this.lanes) {
      for (const lane of territory) {
        if (lane === undefined || lane.size === 0) continue;
        lanes++;
        buckets += lane.buckets.length;
      }
    }
    return { slots: this.columns.size, lanes, buckets };
  }

  /** How many distinct professionals and sites the stored slots refer to. */
  sharedStats(): { professionals: number; sites: number } {
    return this.columns.shared;
  }

  /**
   * Inserts or replaces the slot with this id; a replacement may change its
   * time, professional, site or territory. The index keeps the slot's fields
   * in its columns (untouched if the caller reuses its object), sharing the
   * professional and site objects. Throws RangeError on a slot it cannot file.
   * Returns the slot it replaced, if any (one id lookup where a get() first
   * would make two: a million of them in a full load).
   */
  upsert(slot: FreeSlot): FreeSlot | undefined {
    debugSlowdown('index-memory'); // off unless SNP_DEBUG_SLOWDOWN says so (bench guards)
    const ordinal = PROFESSION_ORDINAL.get(slot.professional.profession);
    const modality = MODALITY_ORDINAL.get(slot.modality);
    if (ordinal === undefined) throw new RangeError(`slot ${slot.id}: unknown profession ${slot.professional.profession}`);
    if (modality === undefined) throw new RangeError(`slot ${slot.id}: unknown modality ${slot.modality}`);
    if (!Number.isFinite(slot.start) || !Number.isFinite(slot.end) || slot.end <= slot.start) {
      throw new RangeError(`slot ${slot.id}: start and end must be finite epoch ms with end > start`);
    }
    if (!Number.isFinite(slot.site.lat) || !Number.isFinite(slot.site.lon)) {
      throw new RangeError(`slot ${slot.id}: site ${slot.site.id} has no finite coordinates`);
    }

    const previous = this.columns.rowOf(slot.id);
    let replaced: FreeSlot | undefined;
    if (previous >= 0) {
      replaced = this.columns.slotAt(previous, false);
      this.forget(previous);
    }

    const territory = this.columns.territoryNumber(slot.territoryId);
    const row = this.columns.add(slot, territory, ordinal, modality);
    const tags = modalityBit(slot.modality)! | this.skillTagsOf(slot.professional, this.columns.professionalNumberOf(row));
    const lanes = (this.lanes[territory] ??= new Array<TimeLane | undefined>(PROFESSIONS.length).fill(undefined));
    const lane = (lanes[ordinal] ??= new TimeLane(this.columns));
    if (this.bulk) lane.append(row, slot.start, slot.site.lat, slot.site.lon, tags);
    else lane.insert(row, slot.start, slot.site.lat, slot.site.lon, tags);
    if (slot.start < this.earliestStart) this.earliestStart = slot.start;
    return replaced;
  }

  /**
   * A load of many slots (a starting instance's million): until
   * endBulkLoad(), upsert() appends each slot to its bucket and each bucket is
   * sorted once at the end, instead of a search and a shift of the bucket per
   * slot (about 2 µs a slot, a quarter of the load). Reads stay right during
   * it: a match, a removal or an eviction sorts the lanes it touches first.
   */
  beginBulkLoad(): void {
    this.bulk = true;
  }

  /** Sorts every bucket the bulk load appended to; upserts file slots in place again. */
  endBulkLoad(): void {
    this.bulk = false;
    for (const territory of this.lanes) for (const lane of territory) lane?.settle();
  }

  /** Forgets the slot; a no-op for an unknown id. */
  remove(slotId: string): void {
    const row = this.columns.rowOf(slotId);
    if (row >= 0) this.forget(row);
  }

  /** The rolling horizon: every slot with start < now leaves. Returns how many. */
  evictStartedBefore(now: number): number {
    if (!(now > this.earliestStart)) return 0;
    let evicted = 0;
    const forget = (row: number): void => this.columns.delete(row);
    for (const territory of this.lanes) {
      for (const lane of territory) if (lane !== undefined) evicted += lane.evictStartedBefore(now, forget);
    }
    this.earliestStart = this.columns.size > 0 ? now : Infinity;
    return evicted;
  }

  /**
   * The earliest `limit` matching slots: by start, then distance from `near`,
   * then slot id. Reads only the requested (territory, profession) lanes,
   * from `from` onwards, and stops as soon as the answer is certain.
   */
  match(q: MatchQuery): Candidate[] {
    debugSlowdown('match'); // off unless SNP_DEBUG_SLOWDOWN says so (bench guards)
    const limit = Math.floor(q.limit);
    if (!(limit > 0) || !(q.from < q.until)) return [];
    const territory = this.columns.knownTerritory(q.territoryId);
    const territoryLanes = territory === undefined ? undefined : this.lanes[territory];
    if (territoryLanes === undefined) return [];
    const lanes: TimeLane[] = [];
    for (const profession of q.professions) {
      const ordinal = PROFESSION_ORDINAL.get(profession);
      const lane = ordinal === undefined ? undefined : territoryLanes[ordinal];
      if (lane !== undefined && lane.size > 0 && !lanes.includes(lane)) {
        if (lane.unsettled) lane.settle(); // only during a bulk load
        lanes.push(lane);
      }
    }
    if (lanes.length === 0) return [];
    const filter = new QueryFilter(q, this.skillBits, this.columns);
    return filter.impossible ? [] : collectEarliest(lanes, filter, limit);
  }

  private skillTagsOf(professional: ProfessionalInfo, n: number): number {
    if (this.skillTagsFor[n] !== professional) {
      this.skillTags[n] = this.skillBits.tagsOf(professional.skills);
      this.skillTagsFor[n] = professional;
    }
    return this.skillTags[n]!;
  }

  /** Takes the row's slot out of its lane and frees the row. */
  private forget(row: number): void {
    // The lane the slot was filed in is in its row: a professional object
    // mutated since (against the contract) cannot strand it.
    const lane = this.lanes[this.columns.territoryOf(row)]![this.columns.laneOf(row)];
    if (lane?.remove(row, this.columns.startOf(row)) !== true) {
      throw new Error(`slot ${this.columns.idOf(row)} is missing from its lane`);
    }
    this.columns.delete(row);
  }
}
