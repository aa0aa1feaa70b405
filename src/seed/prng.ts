// A small seeded PRNG so the demo data is the same on every machine and every run.
// mulberry32: 32-bit state, good enough spread for picking names and coordinates.

/** FNV-1a hash of a string, used to derive one independent seed per territory. */
export function seedFromString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** An item chosen with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weightOf(item), 0);
    let target = this.next() * total;
    for (const item of items) {
      target -= weightOf(item);
      if (target < 0) return item;
    }
    return this.pick(items);
  }

  /** The same items in a random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  /**
   * `count` items drawn in proportion to their weights with stratified sampling, in
   * random order: each item gets its fair share give or take one, where independent
   * draws could put five practices in a village and one in a town.
   */
  spreadByWeight<T>(items: readonly T[], weightOf: (item: T) => number, count: number): T[] {
    const total = items.reduce((sum, item) => sum + weightOf(item), 0);
    const drawn: T[] = [];
    let index = 0;
    let cumulative = items.length > 0 ? weightOf(items[0] as T) : 0;
    for (let k = 0; k < count; k++) {
      const target = ((k + this.next()) / count) * total;
      while (cumulative <= target && index < items.length - 1) cumulative += weightOf(items[++index] as T);
      drawn.push(items[index] as T);
    }
    return this.shuffle(drawn);
  }
}
