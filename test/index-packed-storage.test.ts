// Model-based test of the index's packed storage (slot-columns.ts, slot-ids.ts,
// shared-values.ts): after any sequence of upserts (new or replacing), removes
// and evictions, the index holds exactly what a plain Map holds, field for
// field, with the very professional and site objects upserted; it lets go of
// professionals and sites no slot refers to; and it still matches like the
// brute-force oracle, ties on one instant included. Ids mix canonical UUIDs
// (kept as four words) with other strings (kept as text), so that the hash
// table (growth, deletion by backward shift), row reuse and the mixed id
// order are all exercised.
import t from 'tap';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { MODALITIES, type Profession } from '../src/core/domain.js';
import { SlotIndex, matchBruteForce, type FreeSlot, type MatchQuery, type ProfessionalInfo, type SiteInfo } from '../src/core/index/index.js';
import { SlotIds } from '../src/core/index/slot-ids.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BASE = Date.UTC(2026, 2, 29, 0, 0);
const TERRITORIES = ['t1', 't2', 't3'];
const PROFESSIONS_USED: Profession[] = ['gp', 'nurse', 'midwife'];

const hexArb = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
/** Canonical lowercase UUIDs, with a bias to shared prefixes (word-by-word order) and extreme words (unsigned order). */
const uuidArb = fc
  .tuple(fc.oneof(hexArb(8), fc.constantFrom('00000000', 'ffffffff', '7fffffff', '80000000')), hexArb(4), hexArb(4), hexArb(4), hexArb(12))
  .map(([a, b, c, d, e]) => `${a}-${b}-${c}-${d}-${e}`);
/** Ids the packed form must refuse: upper case, wrong length or shape, plain names. */
const oddIdArb = fc.oneof(
  uuidArb.map((u) => u.toUpperCase()).filter((u) => /[A-F]/.test(u)),
  uuidArb.map((u) => u.replace(/-/g, '')),
  uuidArb.map((u) => `${u.slice(0, 8)}_${u.slice(9)}`),
  fc.string({ minLength: 1, maxLength: 6 }),
);

interface World {
  ids: string[];
  professionals: ProfessionalInfo[];
  sites: SiteInfo[];
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    ids: fc.uniqueArray(fc.oneof({ weight: 4, arbitrary: uuidArb }, { weight: 1, arbitrary: oddIdArb }), { minLength: 1, maxLength: 40 }),
    professionalCount: fc.integer({ min: 1, max: 8 }),
    siteCount: fc.integer({ min: 1, max: 6 }),
  })
  .map(({ ids, professionalCount, siteCount }) => ({
    ids,
    professionals: Array.from({ length: professionalCount }, (_, i) => ({
      id: `p${i}`, rpps: String(10000000000 + i), name: `Pro ${i}`,
      profession: PROFESSIONS_USED[i % PROFESSIONS_USED.length]!, skills: i % 2 === 0 ? ['ecg'] : [],
    })),
    // Two sites share a place: distance ties between different sites.
    sites: Array.from({ length: siteCount }, (_, i) => ({ id: `site${i}`, commune: '17306', lat: 45.6 + (i >> 1) * 0.01, lon: -1.0 })),
  }));

type Op =
  | { kind: 'upsert'; id: number; territory: number; professional: number; site: number; modality: number; quarter: number; seq: number }
  | { kind: 'remove'; id: number }
  | { kind: 'evict'; quarter: number };

// Few quarters: many slots start at the same instant (ties beyond the insertion sort's 16).
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('upsert' as const), id: fc.nat(), territory: fc.nat(TERRITORIES.length - 1), professional: fc.nat(),
      site: fc.nat(), modality: fc.nat(MODALITIES.length - 1), quarter: fc.integer({ min: 0, max: 12 }), seq: fc.nat(1_000_000),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), id: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('evict' as const), quarter: fc.integer({ min: 0, max: 14 }) }) },
);

function apply(op: Op, world: World, index: SlotIndex, model: Map<string, FreeSlot>): void {
  if (op.kind === 'upsert') {
    const start = BASE + op.quarter * 15 * MINUTE;
    const slot: FreeSlot = {
      id: world.ids[op.id % world.ids.length]!,
      territoryId: TERRITORIES[op.territory]!,
      professional: world.professionals[op.professional % world.professionals.length]!,
      site: world.sites[op.site % world.sites.length]!,
      modality: MODALITIES[op.modality]!,
      start,
      end: start + 15 * MINUTE,
      seq: op.seq,
    };
    index.upsert(slot);
    model.set(slot.id, slot);
  } else if (op.kind === 'remove') {
    const id = world.ids[op.id % world.ids.length]!;
    index.remove(id);
    model.delete(id);
  } else {
    const now = BASE + op.quarter * 15 * MINUTE;
    const started = [...model.values()].filter((s) => s.start < now);
    for (const s of started) model.delete(s.id);
    assert.equal(index.evictStartedBefore(now), started.length, 'evicted count');
  }
}

function assertSameContent(world: World, index: SlotIndex, model: Map<string, FreeSlot>): void {
  assert.equal(index.size, model.size, 'size');
  for (const id of world.ids) {
    const stored = index.get(id);
    const expected = model.get(id);
    if (expected === undefined) {
      assert.equal(stored, undefined, `${id} absent`);
      continue;
    }
    assert.deepStrictEqual({ ...stored }, { ...expected }, `${id} fields`);
    assert.equal(stored!.professional, expected.professional, `${id}: the professional object upserted`);
    assert.equal(stored!.site, expected.site, `${id}: the site object upserted`);
  }
  assert.deepStrictEqual([...index.values()].map((s) => s.id).sort(), [...model.keys()].sort(), 'values()');
  const slots = [...model.values()];
  assert.deepStrictEqual(index.sharedStats(), {
    professionals: new Set(slots.map((s) => s.professional)).size,
    sites: new Set(slots.map((s) => s.site)).size,
  }, 'professionals and sites held: exactly those some slot refers to');
}

const queryArb: fc.Arbitrary<MatchQuery> = fc
  .record({
    territoryId: fc.constantFrom(...TERRITORIES),
    professions: fc.subarray(PROFESSIONS_USED, { minLength: 1 }),
    skills: fc.constantFrom([], ['ecg']),
    quarter: fc.integer({ min: 0, max: 12 }),
    hours: fc.integer({ min: 1, max: 4 }),
    near: fc.option(fc.constantFrom({ lat: 45.6, lon: -1.0 }, { lat: 45.63, lon: -0.98 }), { nil: undefined }),
    limit: fc.integer({ min: 1, max: 30 }),
  })
  .map(({ quarter, hours, near, ...q }) => {
    const from = BASE + quarter * 15 * MINUTE;
    return { ...q, modalities: [], from, until: from + hours * HOUR, ...(near ? { near } : {}) };
  });

const answer = (index: SlotIndex | Iterable<FreeSlot>, q: MatchQuery) =>
  (index instanceof SlotIndex ? index.match(q) : matchBruteForce(index, q)).map((c) => [c.slot.id, c.distanceKm]);

t.test('packed storage equals a Map after any upsert/replace/remove/evict sequence', async (t) => {
  fc.assert(
    fc.property(worldArb, fc.array(opArb, { maxLength: 150, size: 'max' }), fc.array(queryArb, { minLength: 1, maxLength: 8 }), (world, ops, queries) => {
      const index = new SlotIndex();
      const model = new Map<string, FreeSlot>();
      for (const op of ops) {
        apply(op, world, index, model);
        assertSameContent(world, index, model);
      }
      for (const q of queries) assert.deepStrictEqual(answer(index, q), answer(model.values(), q));
    }),
    { numRuns: 300 },
  );
  t.pass('index and Map agreed after every step');
});

t.test('UUID words order ids exactly as their text does, mixed with text ids', async (t) => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.oneof({ weight: 3, arbitrary: uuidArb }, { weight: 1, arbitrary: oddIdArb }), { minLength: 2, maxLength: 30 }), (list) => {
      const ids = new SlotIds(64);
      list.forEach((id, row) => ids.add(id, row));
      list.forEach((id, row) => {
        assert.equal(ids.rowOf(id), row, 'found');
        assert.equal(ids.idOf(row), id, 'the same text back');
      });
      for (let a = 0; a < list.length; a++) {
        for (let b = 0; b < list.length; b++) {
          const text = list[a]! < list[b]! ? -1 : list[a]! > list[b]! ? 1 : 0;
          assert.equal(Math.sign(ids.compare(a, b)), text, `${list[a]} vs ${list[b]}`);
        }
      }
    }),
    { numRuns: 300 },
  );
  t.pass('order and round trip hold');
});

t.test('rows grow past the first allocation, are reused after removal, and every id stays found', async (t) => {
  const index = new SlotIndex();
  const professional: ProfessionalInfo = { id: 'p', rpps: '10000000000', name: 'Pro', profession: 'gp', skills: [] };
  const site: SiteInfo = { id: 's', commune: '17306', lat: 45.6, lon: -1 };
  const uuid = (i: number) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${(i * 7919).toString(16).padStart(12, '0')}`;
  const slot = (i: number): FreeSlot => ({
    id: uuid(i), territoryId: 't1', professional, site, modality: 'office', start: BASE + (i % 96) * 15 * MINUTE, end: BASE + (i % 96) * 15 * MINUTE + 15 * MINUTE, seq: i,
  });
  for (let i = 0; i < 5_000; i++) index.upsert(slot(i));
  for (let i = 0; i < 5_000; i += 2) index.remove(uuid(i));
  for (let i = 5_000; i < 7_500; i++) index.upsert(slot(i));
  t.equal(index.size, 5_000);
  let found = 0;
  let ghosts = 0;
  for (let i = 0; i < 7_500; i++) {
    const got = index.get(uuid(i));
    if (i < 5_000 && i % 2 === 0) ghosts += got === undefined ? 0 : 1;
    else if (got?.id === uuid(i) && got.seq === i) found++;
  }
  t.equal(found, 5_000, 'every stored slot found, with its own fields');
  t.equal(ghosts, 0, 'no removed id found');
  t.same(index.sharedStats(), { professionals: 1, sites: 1 });
  index.evictStartedBefore(BASE + 100 * HOUR);
  t.same([index.size, index.sharedStats()], [0, { professionals: 0, sites: 0 }], 'nothing held once empty');
});
