// Values many slots share (professionals, sites), each held once and named by
// a small number that a slot's row stores instead of a pointer. Counted, so a
// professional or site that no slot refers to any more (the sync replaces the
// object when it changes) is let go and its number reused.

export class SharedValues<T extends object> {
  private readonly numbers = new Map<T, number>();
  private readonly values: (T | undefined)[] = [];
  private readonly uses: number[] = [];
  private readonly freed: number[] = [];

  /** The value's number, counting one more use. */
  acquire(value: T): number {
    let n = this.numbers.get(value);
    if (n === undefined) {
      n = this.freed.pop() ?? this.values.length;
      this.numbers.set(value, n);
      this.values[n] = value;
      this.uses[n] = 0;
    }
    this.uses[n]!++;
    return n;
  }

  /** One use fewer; the last one lets the value go. */
  release(n: number): void {
    if (--this.uses[n]! > 0) return;
    this.numbers.delete(this.values[n]!);
    this.values[n] = undefined;
    this.freed.push(n);
  }

  get(n: number): T {
    return this.values[n]!;
  }

  /** How many distinct values are held. */
  get size(): number {
    return this.numbers.size;
  }
}
