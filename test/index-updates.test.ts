// Model-based test: after any sequence of upserts, removes and evictions the
// index holds exactly what a plain Map holds, and still matches like the oracle.
import t from 'tap';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { MODALITIES, type Profession } from '../src/core/domain.js';
import { SlotIndex, bucketOf, matchBruteForce, type FreeSlot, type MatchQuery, type ProfessionalInfo, type SiteInfo } from '../src/core/index/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BASE = Date.UTC(2025, 9, 26, 0, 0); // Paris falls back this night: irrelevant to epoch ms
const TERRITORIES = ['t1', 't2'];
const PROFESSIONS_USED: Profession[] = ['gp', 'nurse', 'physio'];
const PROFESSIONALS: ProfessionalInfo[] = Array.from({ length: 6 }, (_, i) => ({
  id: `p${i}`,
  rpps: String(10000000000 + i),
  name: `Pro ${i}`,
  profession: PROFESSIONS_USED[i % PROFESSIONS_USED.length]!,
  skills: i % 2 === 0 ? ['ecg'] : [],
}));
const SITES: SiteInfo[] = [
  { id: 'a', commune: '17306', lat: 45.62, lon: -1.03 },
  { id: 'b', commune: '17306', lat: 45.65, lon: -0.98 },
  { id: 'c', commune: '17306', lat: 45.62, lon: -1.03 },
];
const ID_POOL = Array.from({ length: 12 }, (_, i) => `slot-${i}`);

type Op =
  | { kind: 'upsert'; slot: FreeSlot }
  | { kind: 'remove'; id: string }
  | { kind: 'evict'; now: number };

// A day in 20-minute steps, ±some ms, so that evictions land before, inside
// and after time buckets and upserts move slots between buckets.
const timeArb = fc.integer({ min: 0, max: 72 }).chain((step) =>
  fc.oneof(fc.constant(BASE + step * 20 * MINUTE), fc.integer({ min: 0, max: 20 * MINUTE - 1 }).map((ms) => BASE + step * 20 * MINUTE + ms)),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        id: fc.constantFrom(...ID_POOL),
        territoryId: fc.constantFrom(...TERRITORIES),
        professional: fc.constantFrom(...PROFESSIONALS),
        site: fc.constantFrom(...SITES),
        modality: fc.constantFrom(...MODALITIES),
        start: timeArb,
        seq: fc.nat(1000),
      })
      .map((s): Op => ({ kind: 'upsert', slot: { ...s, end: s.start + 15 * MINUTE } })),
  },
  { weight: 3, arbitrary: fc.constantFrom(...ID_POOL, 'never-stored').map((id): Op => ({ kind: 'remove', id })) },
  { weight: 1, arbitrary: timeArb.map((now): Op => ({ kind: 'evict', now })) },
);

const queryArb: fc.Arbitrary<MatchQuery> = fc
  .record({
    territoryId: fc.constantFrom(...TERRITORIES),
    professions: fc.subarray(PROFESSIONS_USED, { minLength: 1 }),
    skills: fc.constantFrom([], ['ecg']),
    from: timeArb,
    hours: fc.integer({ min: 0, max: 30 }),
    near: fc.option(fc.constantFrom(...SITES), { nil: undefined }),
    limit: fc.integer({ min: 1, max: 6 }),
  })
  .map(({ hours, near, ...q }) => ({ ...q, modalities: [], until: q.from + hours * HOUR, ...(near ? { near } : {}) }));

function apply(op: Op, index: SlotIndex, model: Map<string, FreeSlot>): void {
  if (op.kind === 'upsert') {
    index.upsert(op.slot);
    model.set(op.slot.id, op.slot);
  } else if (op.kind === 'remove') {
    index.remove(op.id);
    model.delete(op.id);
  } else {
    const started = [...model.values()].filter((s) => s.start < op.now);
    for (const s of started) model.delete(s.id);
    assert.equal(index.evictStartedBefore(op.now), started.length, 'evicted count');
  }
}

function assertSameContent(index: SlotIndex, model: Map<string, FreeSlot>): void {
  assert.equal(index.size, model.size, 'size');
  for (const id of [...ID_POOL, 'never-stored']) {
    const stored = index.get(id);
    const expected = model.get(id);
    if (expected === undefined) assert.equal(stored, undefined, `${id} absent`);
    else assert.deepStrictEqual({ ...stored }, { ...expected }, `${id} fields`);
  }
  assert.deepStrictEqual([...index.values()].map((s) => s.id).sort(), [...model.keys()].sort(), 'values()');
  // Nothing left behind: no empty lane or time bucket.
  const slots = [...model.values()];
  const lane = (s: FreeSlot) => `${s.territoryId}/${s.professional.profession}`;
  const distinct = (keys: string[]) => new Set(keys).size;
  assert.deepStrictEqual(index.stats(), {
    slots: model.size,
    lanes: distinct(slots.map(lane)),
    buckets: distinct(slots.map((s) => `${lane(s)}/${bucketOf(s.start)}`)),
  }, 'stats');
}

const summary = (index: SlotIndex | Iterable<FreeSlot>, q: MatchQuery) =>
  (index instanceof SlotIndex ? index.match(q) : matchBruteForce(index, q)).map((c) => [c.slot.id, c.distanceKm]);

t.test('after any upsert/remove/evict sequence the index equals a Map of the same slots', async (t) => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 80, size: 'max' }), fc.array(queryArb, { minLength: 1, maxLength: 6 }), (ops, queries) => {
      const index = new SlotIndex();
      const model = new Map<string, FreeSlot>();
      for (const op of ops) {
        apply(op, index, model);
        assertSameContent(index, model);
      }
      // Stale entries left in a bucket would surface here even if the by-id map is right.
      for (const q of queries) assert.deepStrictEqual(summary(index, q), summary(model.values(), q));
    }),
    { numRuns: 500 },
  );
  t.pass('index and model agreed after every step');
});

t.test('a full eviction leaves an empty index that still accepts slots', async (t) => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
      const index = new SlotIndex();
      const model = new Map<string, FreeSlot>();
      for (const op of ops) apply(op, index, model);
      index.evictStartedBefore(BASE + 100 * HOUR);
      assert.equal(index.size, 0);
      const slot = { id: 'late', territoryId: 't1', professional: PROFESSIONALS[0]!, site: SITES[0]!, modality: 'office' as const, start: BASE + 200 * HOUR, end: BASE + 201 * HOUR, seq: 1 };
      index.upsert(slot);
      const q = { territoryId: 't1', professions: [slot.professional.profession], skills: [], modalities: [], from: BASE, until: BASE + 300 * HOUR, limit: 5 };
      assert.deepStrictEqual(summary(index, q), [['late', null]]);
    }),
    { numRuns: 200 },
  );
  t.pass('eviction to empty is clean');
});

// Removing a slot leaves a tombstone in its time bucket, swept once tombstones
// are as many as the live slots (time-bucket.ts). Sixty slots of one lane on
// four instants of one bucket: long runs of removals cross that threshold
// many times, and re-inserts land in buckets that still hold tombstones.
t.test('a crowded time bucket: removals, re-inserts and evictions still match like the oracle', async (t) => {
  const gps = PROFESSIONALS.filter((p) => p.profession === 'gp');
  const crowd: FreeSlot[] = Array.from({ length: 60 }, (_, i) => ({
    id: `crowd-${String(i).padStart(2, '0')}`, territoryId: 't1', professional: gps[i % gps.length]!, site: SITES[i % SITES.length]!,
    modality: MODALITIES[i % MODALITIES.length]!, start: BASE + (i % 4) * 15 * MINUTE, end: BASE + ((i % 4) + 1) * 15 * MINUTE, seq: i,
  }));
  const crowdOp = fc.oneof(
    { weight: 5, arbitrary: fc.nat(59).map((i) => ({ kind: 'remove' as const, id: crowd[i]!.id })) },
    { weight: 2, arbitrary: fc.nat(59).map((i) => ({ kind: 'upsert' as const, slot: crowd[i]! })) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 }).map((k) => ({ kind: 'evict' as const, now: BASE + k * 15 * MINUTE })) },
  );
  const crowdQuery = fc.record({ from: fc.integer({ min: 0, max: 3 }), limit: fc.integer({ min: 1, max: 70 }), near: fc.boolean(), modality: fc.option(fc.constantFrom(...MODALITIES), { nil: undefined }) })
    .map(({ from, limit, near, modality }): MatchQuery => ({
      territoryId: 't1', professions: ['gp'], skills: [], modalities: modality === undefined ? [] : [modality],
      from: BASE + from * 15 * MINUTE, until: BASE + 6 * HOUR, limit, ...(near ? { near: SITES[1]! } : {}),
    }));
  fc.assert(
    fc.property(fc.array(fc.tuple(crowdOp, crowdQuery), { minLength: 1, maxLength: 150 }), (steps) => {
      const index = new SlotIndex();
      const model = new Map<string, FreeSlot>();
      for (const slot of crowd) apply({ kind: 'upsert', slot }, index, model);
      for (const [op, q] of steps) {
        apply(op, index, model);
        assert.equal(index.size, model.size, 'size');
        assert.deepStrictEqual(index.stats().buckets, model.size > 0 ? 1 : 0, 'one bucket while any slot is left');
        assert.deepStrictEqual(summary(index, q), summary(model.values(), q));
      }
      assert.deepStrictEqual([...index.values()].map((s) => s.id).sort(), [...model.keys()].sort(), 'values()');
    }),
    { numRuns: 300 },
  );
  t.pass('the crowded bucket agreed with the oracle after every step');
});
