// UuidMap (the directory's professionals and sites by id) against a plain Map:
// canonical UUIDs (packed), other ids (kept as strings), replacements, growth.
import t from 'tap';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { UuidMap } from '../src/core/index/index.js';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
// Few distinct ids so that sets replace; some canonical, some upper-case or odd (the string path).
const idArb = fc.oneof(
  { weight: 4, arbitrary: fc.nat(300).map((n) => `${hex(n * 2654435761 >>> 0, 8)}-0000-4000-8000-${hex(n, 12)}`) },
  { weight: 1, arbitrary: fc.nat(30).map((n) => `${hex(n, 8).toUpperCase()}-0000-4000-8000-00000000000A`) },
  { weight: 1, arbitrary: fc.constantFrom('p1', 'site-2', '', 'é') },
);

t.test('UuidMap answers as a Map does', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.tuple(idArb, fc.nat()), { maxLength: 600 }), fc.array(idArb, { maxLength: 50 }), fc.integer({ min: 1, max: 64 }), (sets, probes, capacity) => {
      const map = new UuidMap<number>(capacity);
      const oracle = new Map<string, number>();
      for (const [id, value] of sets) {
        map.set(id, value);
        oracle.set(id, value);
        assert.equal(map.get(id), value);
      }
      assert.equal(map.size, oracle.size);
      for (const id of [...oracle.keys(), ...probes]) assert.equal(map.get(id), oracle.get(id), id);
    }),
    { numRuns: 300 },
  );
  t.pass('same answers on every generated sequence');
});
