// Professionals in several CPTS (issue 14): ServedSlotIndex offers each slot in
// its own territory and in every territory its professional serves. Model-based,
// against the brute-force oracle over the slots as each territory sees them:
// after any sequence of upserts (a professional's memberships changing between
// two upserts of its slot included), removes and evictions, every match equals
// the oracle's, and the index holds exactly the model's slots.
import t from 'tap';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { MODALITIES, type Profession } from '../src/core/domain.js';
import {
  ServedSlotIndex, matchBruteForce, servedTerritories, type FreeSlot, type MatchQuery, type ProfessionalInfo, type SiteInfo,
} from '../src/core/index/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BASE = Date.UTC(2026, 2, 29, 0, 0);
const TERRITORIES = ['t1', 't2', 't3'];
const PROFESSIONS_USED: Profession[] = ['gp', 'nurse'];
// The same professional with several sets of memberships: a membership change gives a new object (the sync does too).
const MEMBERSHIPS: (readonly string[] | undefined)[] = [undefined, ['t1'], ['t1', 't2'], ['t2', 't3'], ['t1', 't2', 't3']];
const professional = (i: number, m: number): ProfessionalInfo => ({
  id: `p${i}`, rpps: String(10000000000 + i), name: `Pro ${i}`, profession: PROFESSIONS_USED[i % 2]!, skills: i % 2 === 0 ? ['ecg'] : [],
  ...(MEMBERSHIPS[m] !== undefined ? { territories: MEMBERSHIPS[m] } : {}),
});
const SITES: SiteInfo[] = [
  { id: 'a', commune: '69259', lat: 45.70, lon: 4.87 },
  { id: 'b', commune: '69199', lat: 45.71, lon: 4.85 },
];
const ID_POOL = Array.from({ length: 10 }, (_, i) => `slot-${i}`);

type Op = { kind: 'upsert'; slot: FreeSlot } | { kind: 'remove'; id: string } | { kind: 'evict'; now: number };
const timeArb = fc.integer({ min: 0, max: 48 }).map((step) => BASE + step * 30 * MINUTE);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      id: fc.constantFrom(...ID_POOL), territoryId: fc.constantFrom(...TERRITORIES),
      pro: fc.integer({ min: 0, max: 3 }), memberships: fc.integer({ min: 0, max: MEMBERSHIPS.length - 1 }),
      site: fc.constantFrom(...SITES), modality: fc.constantFrom(...MODALITIES), start: timeArb, seq: fc.nat(1000),
    }).map(({ pro, memberships, ...s }): Op => ({ kind: 'upsert', slot: { ...s, professional: professional(pro, memberships), end: s.start + 20 * MINUTE } })),
  },
  { weight: 3, arbitrary: fc.constantFrom(...ID_POOL).map((id): Op => ({ kind: 'remove', id })) },
  { weight: 1, arbitrary: timeArb.map((now): Op => ({ kind: 'evict', now })) },
);
const queryArb: fc.Arbitrary<MatchQuery> = fc.record({
  territoryId: fc.constantFrom(...TERRITORIES), professions: fc.subarray(PROFESSIONS_USED, { minLength: 1 }), skills: fc.constantFrom([], ['ecg']),
  from: timeArb, hours: fc.integer({ min: 0, max: 24 }), near: fc.option(fc.constantFrom(...SITES), { nil: undefined }), limit: fc.integer({ min: 1, max: 6 }),
}).map(({ hours, near, ...q }) => ({ ...q, modalities: [], until: q.from + hours * HOUR, ...(near ? { near } : {}) }));

/** The oracle: every slot once per territory it is offered in, matched by the plain scan. */
function oracle(model: Map<string, FreeSlot>, q: MatchQuery): [string, number | null][] {
  const seen = [...model.values()].flatMap((slot) => servedTerritories(slot).map((territoryId) => ({ ...slot, territoryId })));
  return matchBruteForce(seen, q).map((c) => [c.slot.id, c.distanceKm]);
}

t.test('servedTerritories: the slot\'s own territory first, then its professional\'s others, each once', async (t) => {
  const slot = (territoryId: string, m: number) => ({ territoryId, professional: professional(0, m) });
  t.same(servedTerritories(slot('t1', 0)), ['t1'], 'no memberships known: its own territory');
  t.same(servedTerritories(slot('t1', 1)), ['t1'], 'a member of its own territory only');
  t.same(servedTerritories(slot('t3', 2)), ['t3', 't1', 't2'], 'organised by t3 for a member of t1 and t2: offered in all three');
  t.same(servedTerritories(slot('t2', 4)), ['t2', 't1', 't3']);
});

t.test('after any upsert/remove/evict sequence, every match equals the oracle in every territory', async (t) => {
  fc.assert(fc.property(fc.array(opArb, { maxLength: 60 }), fc.array(queryArb, { minLength: 1, maxLength: 6 }), (ops, queries) => {
    const index = new ServedSlotIndex();
    const model = new Map<string, FreeSlot>();
    for (const op of ops) {
      if (op.kind === 'upsert') { index.upsert(op.slot); model.set(op.slot.id, op.slot); }
      else if (op.kind === 'remove') { index.remove(op.id); model.delete(op.id); }
      else {
        const started = [...model.values()].filter((s) => s.start < op.now);
        for (const s of started) model.delete(s.id);
        assert.equal(index.evictStartedBefore(op.now), started.length, 'evicted: each slot once, not once per territory');
      }
      assert.equal(index.size, model.size, 'size counts slots, not copies');
      assert.deepStrictEqual([...index.values()].map((s) => s.id).sort(), [...model.keys()].sort(), 'values(): each slot once');
      for (const id of ID_POOL) assert.equal(index.get(id)?.territoryId, model.get(id)?.territoryId, `${id}: get() gives the slot under its own territory`);
    }
    for (const q of queries) {
      const got = index.match(q);
      assert.deepStrictEqual(got.map((c) => [c.slot.id, c.distanceKm]), oracle(model, q), 'match = oracle');
      for (const c of got) assert.equal(c.slot, index.get(c.slot.id), 'a candidate is the stored slot itself, whichever territory found it');
    }
  }), { numRuns: 400 });
  t.pass('index and oracle agreed');
});

t.test('a professional who leaves a territory: its slots leave that territory\'s matches, nowhere else', async (t) => {
  const index = new ServedSlotIndex();
  const q = (territoryId: string): MatchQuery => ({ territoryId, professions: ['gp'], skills: [], modalities: [], from: BASE, until: BASE + 10 * HOUR, limit: 5 });
  const slot: FreeSlot = { id: 's', territoryId: 't1', professional: professional(0, 2), site: SITES[0]!, modality: 'office', start: BASE + HOUR, end: BASE + 2 * HOUR, seq: 1 };
  index.upsert(slot);
  t.same(TERRITORIES.map((id) => index.match(q(id)).length), [1, 1, 0], 'member of t1 and t2: offered in both');
  index.upsert({ ...slot, professional: professional(0, 1), seq: 2 });
  t.same(TERRITORIES.map((id) => index.match(q(id)).length), [1, 0, 0], 'left t2: offered in t1 only');
  index.upsert({ ...slot, professional: professional(0, 3), seq: 3 });
  t.same(TERRITORIES.map((id) => index.match(q(id)).length), [1, 1, 1], 'organised by t1, member of t2 and t3: all three');
  index.remove('s');
  t.same(TERRITORIES.map((id) => index.match(q(id)).length), [0, 0, 0], 'removed everywhere');
  t.equal(index.stats().slots, 0);
});
