// The stored slots as rows of typed-array columns: about 60 bytes a slot,
// off the JavaScript heap, instead of an object, its id string, two boxed
// times and a Map entry (about 200 bytes on the heap, traced by every full
// GC). A slot handed out (get, values, match) is a fresh FreeSlot built from
// its row; the professional and site in it are the very objects upserted.
// Rows of removed slots go on a free list and are reused first.
import { MODALITIES, type Modality } from '../domain.js';
import type { FreeSlot, ProfessionalInfo, SiteInfo } from './free-slot.js';
import { SharedValues } from './shared-values.js';
import { SlotIds } from './slot-ids.js';

/** In the `lane` column (which stores lane + 1): the row holds no slot. */
const FREE_ROW = 0;
const INITIAL_CAPACITY = 1024;
/**
 * Slots recently handed out, by row (direct-mapped). Every match returns the
 * earliest slots of its lanes, so the rows of the next hours of each territory
 * are asked for again and again; building each one anew (an object and a
 * 36-character id) costs about as much as the rest of the walk. 131,072
 * entries, about 20 MB once full: in the benchmark's million-slot run, 62 % of
 * the slots matches return come from here (32,768 entries: 31 %, and a match
 * p50 20 % above the object-per-slot layout's instead of 7 %). A smaller
 * index gets one entry per row it has room for.
 */
const MAX_CACHE_SIZE = 1 << 17;

export class SlotColumns {
  private capacity = INITIAL_CAPACITY;
  /** Rows ever used: [0, highWater) holds every live row. */
  private highWater = 0;
  private live = 0;
  private readonly freeRows: number[] = [];
  private readonly ids = new SlotIds(INITIAL_CAPACITY);
  private readonly professionals = new SharedValues<ProfessionalInfo>();
  private readonly sites = new SharedValues<SiteInfo>();
  private readonly territoryNames: string[] = [];
  private readonly territoryNumbers = new Map<string, number>();

  private cacheMask = INITIAL_CAPACITY - 1;
  private cachedRow = new Int32Array(INITIAL_CAPACITY).fill(-1);
  private cachedSlot = new Array<FreeSlot | undefined>(INITIAL_CAPACITY).fill(undefined);

  private start = new Float64Array(INITIAL_CAPACITY);
  private end = new Float64Array(INITIAL_CAPACITY);
  private seq = new Float64Array(INITIAL_CAPACITY);
  private professional = new Int32Array(INITIAL_CAPACITY);
  private site = new Int32Array(INITIAL_CAPACITY);
  private territory = new Int32Array(INITIAL_CAPACITY);
  private modality = new Uint8Array(INITIAL_CAPACITY);
  /** 1 + the profession lane the slot was filed in (its professional's profession then), or FREE_ROW. */
  private lane = new Uint8Array(INITIAL_CAPACITY);

  get size(): number {
    return this.live;
  }

  /** Counts of the shared tables (for stats and leak checks). */
  get shared(): { professionals: number; sites: number } {
    return { professionals: this.professionals.size, sites: this.sites.size };
  }

  /** The territory's number, giving a new one to an unseen territory (they are few and never forgotten). */
  territoryNumber(territoryId: string): number {
    let n = this.territoryNumbers.get(territoryId);
    if (n === undefined) {
      n = this.territoryNames.length;
      this.territoryNames.push(territoryId);
      this.territoryNumbers.set(territoryId, n);
    }
    return n;
  }

  /** The territory's number, or undefined if no slot was ever filed there. */
  knownTerritory(territoryId: string): number | undefined {
    return this.territoryNumbers.get(territoryId);
  }

  /** The row of this slot id, or -1. */
  rowOf(id: string): number {
    return this.ids.rowOf(id);
  }

  /** Stores a slot whose id is not stored yet; returns its row. */
  add(slot: FreeSlot, territory: number, lane: number, modality: number): number {
    const row = this.freeRows.pop() ?? this.newRow();
    this.ids.add(slot.id, row);
    this.start[row] = slot.start;
    this.end[row] = slot.end;
    this.seq[row] = slot.seq;
    this.professional[row] = this.professionals.acquire(slot.professional);
    this.site[row] = this.sites.acquire(slot.site);
    this.territory[row] = territory;
    this.modality[row] = modality;
    this.lane[row] = lane + 1;
    this.live++;
    return row;
  }

  /** Forgets the slot in this row and frees the row. */
  delete(row: number): void {
    const k = row & this.cacheMask;
    if (this.cachedRow[k] === row) {
      this.cachedRow[k] = -1;
      this.cachedSlot[k] = undefined;
    }
    this.ids.delete(row);
    this.professionals.release(this.professional[row]!);
    this.sites.release(this.site[row]!);
    this.lane[row] = FREE_ROW;
    this.freeRows.push(row);
    this.live--;
  }

  startOf(row: number): number {
    return this.start[row]!;
  }

  laneOf(row: number): number {
    return this.lane[row]! - 1;
  }

  territoryOf(row: number): number {
    return this.territory[row]!;
  }

  idOf(row: number): string {
    return this.ids.idOf(row);
  }

  /** The two rows' slot ids in string order. */
  compareIds(a: number, b: number): number {
    return this.ids.compare(a, b);
  }

  /**
   * The slot in this row, as an object that may be shared with earlier
   * callers (FreeSlot is immutable); `keep` = false for one-off reads
   * (values()) that should not push out the slots matches keep returning.
   */
  slotAt(row: number, keep = true): FreeSlot {
    const k = row & this.cacheMask;
    if (this.cachedRow[k] === row) return this.cachedSlot[k]!;
    const slot = this.build(row);
    if (keep) {
      this.cachedRow[k] = row;
      this.cachedSlot[k] = slot;
    }
    return slot;
  }

  private build(row: number): FreeSlot {
    return {
      id: this.ids.idOf(row),
      territoryId: this.territoryNames[this.territory[row]!]!,
      professional: this.professionals.get(this.professional[row]!),
      site: this.sites.get(this.site[row]!),
      modality: MODALITIES[this.modality[row]!] as Modality,
      start: this.start[row]!,
      end: this.end[row]!,
      seq: this.seq[row]!,
    };
  }

  /** The professional's number in the shared table: the same for every row of that object while any is stored. */
  professionalNumberOf(row: number): number {
    return this.professional[row]!;
  }

  professionalAt(row: number): ProfessionalInfo {
    return this.professionals.get(this.professional[row]!);
  }

  /** Every live row, in row order. */
  *rows(): Generator<number> {
    for (let row = 0; row < this.highWater; row++) if (this.lane[row] !== FREE_ROW) yield row;
  }

  private newRow(): number {
    if (this.highWater === this.capacity) this.grow(this.capacity * 2);
    return this.highWater++;
  }

  // Doubling: the copy is the only cost, and pages of the new arrays that no
  // row has reached yet are never written, so they take no resident memory.
  private grow(capacity: number): void {
    const widen = <A extends Float64Array | Int32Array | Uint8Array>(old: A, make: (n: number) => A): A => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.start = widen(this.start, (n) => new Float64Array(n));
    this.end = widen(this.end, (n) => new Float64Array(n));
    this.seq = widen(this.seq, (n) => new Float64Array(n));
    this.professional = widen(this.professional, (n) => new Int32Array(n));
    this.site = widen(this.site, (n) => new Int32Array(n));
    this.territory = widen(this.territory, (n) => new Int32Array(n));
    this.modality = widen(this.modality, (n) => new Uint8Array(n));
    this.lane = widen(this.lane, (n) => new Uint8Array(n));
    this.ids.grow(capacity);
    this.capacity = capacity;
    const cacheSize = Math.min(capacity, MAX_CACHE_SIZE);
    if (cacheSize !== this.cachedRow.length) {
      this.cacheMask = cacheSize - 1;
      this.cachedRow = new Int32Array(cacheSize).fill(-1);
      this.cachedSlot = new Array<FreeSlot | undefined>(cacheSize).fill(undefined);
    }
  }
}
