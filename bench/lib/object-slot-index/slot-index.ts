// The slot index as it was before issue 18 (one object per slot, a by-id Map,
// the FreeSlot objects in the time buckets), frozen here as the benchmark's
// same-run latency baseline (bench/matcher-inprocess.ts --baseline-layout).
// Not used by the service. Copied from src/core/index at commit 285b429,
// with only the imports and the debug hooks changed.
import { MODALITIES, PROFESSIONS, type Modality, type Profession } from '../../../src/core/domain.js';
import type { Candidate, FreeSlot, MatchQuery } from '../../../src/core/index/free-slot.js';
import { collectEarliest } from './match.js';
import { QueryFilter } from './query-filter.js';
import { SkillBits, modalityBit } from '../../../src/core/index/slot-tags.js';
import { TimeLane } from './time-lane.js';

const PROFESSION_ORDINAL: ReadonlyMap<string, number> = new Map(PROFESSIONS.map((p, i) => [p, i]));
// Maps any equal string onto the one constant, so a million slots read from
// rows share three modality strings instead of holding a million copies.
const CANONICAL_MODALITY: ReadonlyMap<string, Modality> = new Map(MODALITIES.map((m) => [m, m]));

interface Territory {
  /** The first id string seen; every stored slot of the territory shares it. */
  readonly id: string;
  /** Indexed by PROFESSION_ORDINAL. */
  readonly lanes: (TimeLane | undefined)[];
}

export class ObjectSlotIndex {
  private readonly byId = new Map<string, FreeSlot>();
  private readonly territories = new Map<string, Territory>();
  private readonly skillBits = new SkillBits();
  /** No stored slot starts before this; lets a no-op eviction return at once. */
  private earliestStart = Infinity;

  get size(): number {
    return this.byId.size;
  }

  get(slotId: string): FreeSlot | undefined {
    return this.byId.get(slotId);
  }

  /** Every stored slot, in no particular order (for reconciliation and oracles). */
  values(): IterableIterator<FreeSlot> {
    return this.byId.values();
  }

  /** Sizes of the structure, for metrics and leak checks (walks the lanes: not for the hot path). */
  stats(): { slots: number; lanes: number; buckets: number } {
    let lanes = 0;
    let buckets = 0;
    for (const territory of this.territories.values()) {
      for (const lane of territory.lanes) {
        if (lane === undefined || lane.size === 0) continue;
        lanes++;
        buckets += lane.buckets.length;
      }
    }
    return { slots: this.byId.size, lanes, buckets };
  }

  /**
   * Inserts or replaces the slot with this id; a replacement may change its
   * time, professional, site or territory. The index stores its own copy (one
   * shape for fast reads, untouched if the caller reuses its object, with
   * interned territory and modality strings), sharing the professional and
   * site objects. Throws RangeError on a slot it cannot file.
   */
  upsert(slot: FreeSlot): void {
    const ordinal = PROFESSION_ORDINAL.get(slot.professional.profession);
    const modality = CANONICAL_MODALITY.get(slot.modality);
    if (ordinal === undefined) throw new RangeError(`slot ${slot.id}: unknown profession ${slot.professional.profession}`);
    if (modality === undefined) throw new RangeError(`slot ${slot.id}: unknown modality ${slot.modality}`);
    if (!Number.isFinite(slot.start) || !Number.isFinite(slot.end) || slot.end <= slot.start) {
      throw new RangeError(`slot ${slot.id}: start and end must be finite epoch ms with end > start`);
    }
    if (!Number.isFinite(slot.site.lat) || !Number.isFinite(slot.site.lon)) {
      throw new RangeError(`slot ${slot.id}: site ${slot.site.id} has no finite coordinates`);
    }

    const previous = this.byId.get(slot.id);
    if (previous !== undefined) this.unfile(previous);

    const territory = this.territoryFor(slot.territoryId);
    const stored: FreeSlot = {
      id: slot.id,
      territoryId: territory.id,
      professional: slot.professional,
      site: slot.site,
      modality,
      start: slot.start,
      end: slot.end,
      seq: slot.seq,
    };
    const tags = modalityBit(modality)! | this.skillBits.tagsOf(stored.professional.skills);
    const lane = (territory.lanes[ordinal] ??= new TimeLane());
    lane.insert(stored, tags);
    this.byId.set(stored.id, stored);
    if (stored.start < this.earliestStart) this.earliestStart = stored.start;
  }

  /** Forgets the slot; a no-op for an unknown id. */
  remove(slotId: string): void {
    const stored = this.byId.get(slotId);
    if (stored === undefined) return;
    this.unfile(stored);
    this.byId.delete(slotId);
  }

  /** The rolling horizon: every slot with start < now leaves. Returns how many. */
  evictStartedBefore(now: number): number {
    if (!(now > this.earliestStart)) return 0;
    let evicted = 0;
    const forget = (slot: FreeSlot): void => {
      this.byId.delete(slot.id);
    };
    for (const territory of this.territories.values()) {
      for (const lane of territory.lanes) if (lane !== undefined) evicted += lane.evictStartedBefore(now, forget);
    }
    this.earliestStart = this.byId.size > 0 ? now : Infinity;
    return evicted;
  }

  /**
   * The earliest `limit` matching slots: by start, then distance from `near`,
   * then slot id. Reads only the requested (territory, profession) lanes,
   * from `from` onwards, and stops as soon as the answer is certain.
   */
  match(q: MatchQuery): Candidate[] {
    const limit = Math.floor(q.limit);
    if (!(limit > 0) || !(q.from < q.until)) return [];
    const territory = this.territories.get(q.territoryId);
    if (territory === undefined) return [];
    const lanes: TimeLane[] = [];
    for (const profession of q.professions) {
      const lane = laneOf(territory, profession);
      if (lane !== undefined && lane.size > 0 && !lanes.includes(lane)) lanes.push(lane);
    }
    if (lanes.length === 0) return [];
    const filter = new QueryFilter(q, this.skillBits);
    return filter.impossible ? [] : collectEarliest(lanes, filter, limit);
  }

  private territoryFor(territoryId: string): Territory {
    let territory = this.territories.get(territoryId);
    if (territory === undefined) {
      territory = { id: territoryId, lanes: new Array<TimeLane | undefined>(PROFESSIONS.length).fill(undefined) };
      this.territories.set(territoryId, territory);
    }
    return territory;
  }

  private unfile(stored: FreeSlot): void {
    const territory = this.territories.get(stored.territoryId)!;
    if (laneOf(territory, stored.professional.profession)?.remove(stored)) return;
    // Only reached if someone mutated a shared ProfessionalInfo's profession:
    // look in the territory's other lanes rather than leave a ghost behind.
    for (const lane of territory.lanes) if (lane?.remove(stored)) return;
    throw new Error(`slot ${stored.id} is missing from its territory's lanes`);
  }
}

function laneOf(territory: Territory, profession: Profession): TimeLane | undefined {
  const ordinal = PROFESSION_ORDINAL.get(profession);
  return ordinal === undefined ? undefined : territory.lanes[ordinal];
}
