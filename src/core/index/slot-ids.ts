// Slot id ↔ row number, without a string per slot. Slot ids are UUIDs in
// PostgreSQL's text form (36 characters: a 56-byte string plus a Map entry
// per slot); a canonical lowercase UUID is kept as four 32-bit words in one
// typed array and found through an open-addressing table of row numbers.
// Any other id (tests, hand-made data, upper case) keeps its string in a
// plain Map: exact, only costlier. Word order is the text order: comparing
// the words compares the ids as strings would.

const EMPTY = -1;
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
const HEX_DIGIT = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = 45;
const isDashAt = (i: number): boolean => i === 8 || i === 13 || i === 18 || i === 23;

/** Scratch for one parse (ids are parsed one at a time, synchronously). */
const parsed = new Uint32Array(4);
const chars: number[] = new Array<number>(36).fill(DASH);
const fromCharCodes = String.fromCharCode;

/**
 * The id whose words `parsed` holds, or null: add() after rowOf() of the same id
 * (every new slot) reuses the parse.
 */
let lastParsed: string | null = null;

/** Fills `parsed` with the id's words; false unless it is a canonical lowercase UUID. */
function parseUuid(id: string): boolean {
  lastParsed = null;
  if (id.length !== 36) return false;
  let word = 0;
  let w = 0;
  let digits = 0;
  for (let i = 0; i < 36; i++) {
    const c = id.charCodeAt(i);
    if (isDashAt(i)) {
      if (c !== DASH) return false;
      continue;
    }
    const v = c < 128 ? HEX_VALUE[c]! : -1;
    if (v < 0) return false;
    word = (word << 4) | v;
    if (++digits === 8) {
      parsed[w++] = word >>> 0;
      word = 0;
      digits = 0;
    }
  }
  lastParsed = id;
  return true;
}

function hashWords(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ c, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15) ^ d, 0x165667b1);
  return (h ^ (h >>> 16)) >>> 0;
}

export class SlotIds {
  /** words[row * 4 ..+4]: the row's UUID, when packed. */
  private words: Uint32Array;
  /** Bit per row: its id is packed (else in `strings`). */
  private packed: Uint8Array;
  /** Open addressing, linear probing: row numbers, EMPTY where free. */
  private table: Int32Array;
  private tableMask: number;
  private packedCount = 0;
  private readonly byString = new Map<string, number>();
  private readonly strings = new Map<number, string>();

  constructor(capacity: number) {
    this.words = new Uint32Array(capacity * 4);
    this.packed = new Uint8Array(capacity);
    this.table = new Int32Array(16).fill(EMPTY);
    this.tableMask = 15;
  }

  /** Room for rows [0, capacity). */
  grow(capacity: number): void {
    const words = new Uint32Array(capacity * 4);
    words.set(this.words);
    this.words = words;
    const packed = new Uint8Array(capacity);
    packed.set(this.packed);
    this.packed = packed;
  }

  /** The row holding this id, or -1. */
  rowOf(id: string): number {
    if (!parseUuid(id)) return this.byString.get(id) ?? -1;
    const a = parsed[0]!;
    const b = parsed[1]!;
    const c = parsed[2]!;
    const d = parsed[3]!;
    const words = this.words;
    for (let i = hashWords(a, b, c, d) & this.tableMask; ; i = (i + 1) & this.tableMask) {
      const row = this.table[i]!;
      if (row === EMPTY) return -1;
      const k = row * 4;
      if (words[k] === a && words[k + 1] === b && words[k + 2] === c && words[k + 3] === d) return row;
    }
  }

  /** Files a new id at a free row (the caller has checked the id is absent). */
  add(id: string, row: number): void {
    if (id !== lastParsed && !parseUuid(id)) {
      this.packed[row] = 0;
      this.byString.set(id, row);
      this.strings.set(row, id);
      return;
    }
    this.packed[row] = 1;
    this.words.set(parsed, row * 4);
    if ((this.packedCount + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
    this.place(row);
    this.packedCount++;
  }

  /** Forgets the id at this row. */
  delete(row: number): void {
    if (this.packed[row] === 0) {
      const id = this.strings.get(row)!;
      this.strings.delete(row);
      this.byString.delete(id);
      return;
    }
    const mask = this.tableMask;
    const table = this.table;
    let i = this.slotOf(row);
    // Backward-shift deletion: no tombstones, so lookups never slow down with churn.
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const other = table[j]!;
      if (other === EMPTY) break;
      const home = this.homeOf(other);
      // Move `other` into the hole unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        table[i] = other;
        i = j;
      }
    }
    table[i] = EMPTY;
    this.packed[row] = 0;
    this.packedCount--;
  }

  /** The id as text. */
  idOf(row: number): string {
    if (this.packed[row] === 0) return this.strings.get(row)!;
    const words = this.words;
    let at = 0;
    for (let w = 0; w < 4; w++) {
      const word = words[row * 4 + w]!;
      for (let shift = 28; shift >= 0; shift -= 4) {
        if (isDashAt(at)) at++;
        chars[at++] = HEX_DIGIT[(word >>> shift) & 15]!;
      }
    }
    const c = chars;
    // Spelled out: several times faster than fromCharCode.apply(null, chars).
    return fromCharCodes(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!,
      c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!, c[18]!, c[19]!, c[20]!, c[21]!, c[22]!, c[23]!,
      c[24]!, c[25]!, c[26]!, c[27]!, c[28]!, c[29]!, c[30]!, c[31]!, c[32]!, c[33]!, c[34]!, c[35]!);
  }

  /** The ids of two rows in string order (negative, zero, positive). */
  compare(a: number, b: number): number {
    if (this.packed[a] === 1 && this.packed[b] === 1) {
      const words = this.words;
      for (let k = 0; k < 4; k++) {
        const x = words[a * 4 + k]!;
        const y = words[b * 4 + k]!;
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    }
    const x = this.idOf(a);
    const y = this.idOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  private homeOf(row: number): number {
    const k = row * 4;
    const w = this.words;
    return hashWords(w[k]!, w[k + 1]!, w[k + 2]!, w[k + 3]!) & this.tableMask;
  }

  private slotOf(row: number): number {
    for (let i = this.homeOf(row); ; i = (i + 1) & this.tableMask) {
      if (this.table[i] === row) return i;
      if (this.table[i] === EMPTY) throw new Error(`row ${row} is missing from the id table`);
    }
  }

  private place(row: number): void {
    for (let i = this.homeOf(row); ; i = (i + 1) & this.tableMask) {
      if (this.table[i] === EMPTY) {
        this.table[i] = row;
        return;
      }
    }
  }

  private rehash(size: number): void {
    const old = this.table;
    this.table = new Int32Array(size).fill(EMPTY);
    this.tableMask = size - 1;
    for (const row of old) if (row !== EMPTY) this.place(row);
  }
}
