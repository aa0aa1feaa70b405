// A Map bounded by entry count that evicts the least recently used entry: a
// cache an attacker can fill but never empty for everyone at once.
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();
  /**
   * The key last set or read, when still present: the youngest entry. Reading it
   * again needs no move; a client sending every request (a rate-limit bucket, the
   * SAS platform's token) reads the same key over and over, and the move, a Map
   * delete and insert, was the cost of the read. Deletions leave it as it is: a
   * deleted key is absent, and set() names the youngest again when it comes back.
   */
  private newest: K | undefined;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, marked as just used. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined || key === this.newest) return value;
    // A Map iterates in insertion order: re-inserting moves the key to the young end.
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Deletes every entry whose value matches. */
  deleteWhere(predicate: (value: V) => boolean): void {
    for (const [key, value] of this.entries) if (predicate(value)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
