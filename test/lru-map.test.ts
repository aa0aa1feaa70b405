// The bounded LRU map (src/auth/lru-map.ts) against a plain list kept in use
// order: random sets, reads, deletions and clears over a few keys, bounds 1 to 4,
// give the same answers and sizes, so the same entries are evicted. Reading the
// youngest entry again skips the move; this checks that the skip never changes
// what is evicted.
import fc from 'fast-check';
import t from 'tap';
import { LruMap } from '../src/auth/lru-map.js';

type Op = { op: 'set'; key: number; value: number } | { op: 'get' | 'delete'; key: number } | { op: 'deleteOdd' } | { op: 'clear' };

class ListLru {
  private list: Array<[number, number]> = []; // oldest first
  constructor(private readonly max: number) {}
  get(key: number): number | undefined {
    const at = this.list.findIndex(([k]) => k === key);
    if (at < 0) return undefined;
    const [entry] = this.list.splice(at, 1);
    this.list.push(entry!);
    return entry![1];
  }
  set(key: number, value: number): void {
    this.list = this.list.filter(([k]) => k !== key);
    this.list.push([key, value]);
    if (this.list.length > this.max) this.list.shift();
  }
  delete(key: number): void { this.list = this.list.filter(([k]) => k !== key); }
  deleteOdd(): void { this.list = this.list.filter(([, v]) => v % 2 === 0); }
  clear(): void { this.list = []; }
  get size(): number { return this.list.length; }
}

const key = fc.integer({ min: 0, max: 5 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), key, value: fc.integer({ min: 0, max: 9 }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('get' as const), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
  { weight: 1, arbitrary: fc.constant({ op: 'deleteOdd' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

t.test('the same answers and evictions as a list kept in use order', async (t) => {
  let runs = 0;
  fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 80 }), (max, ops) => {
    runs++;
    const lru = new LruMap<number, number>(max);
    const oracle = new ListLru(max);
    for (const step of ops) {
      if (step.op === 'set') { lru.set(step.key, step.value); oracle.set(step.key, step.value); }
      else if (step.op === 'get') { if (lru.get(step.key) !== oracle.get(step.key)) return false; }
      else if (step.op === 'delete') { lru.delete(step.key); oracle.delete(step.key); }
      else if (step.op === 'deleteOdd') { lru.deleteWhere((v) => v % 2 === 1); oracle.deleteOdd(); }
      else { lru.clear(); oracle.clear(); }
      if (lru.size !== oracle.size) return false;
    }
    // Every key read at the end, youngest state first compared.
    for (let k = 0; k <= 5; k++) if (lru.get(k) !== oracle.get(k)) return false;
    return true;
  }), { numRuns: 20_000 });
  t.equal(runs, 20_000, 'every run compared');
});
