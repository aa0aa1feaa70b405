// Property tests: the indexed matcher gives exactly the brute-force answer,
// and never returns a slot that breaks a rule.
import t from 'tap';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { MODALITIES, PROFESSIONS, type Profession } from '../src/core/domain.js';
import {
  SlotIndex,
  haversineKm,
  matchBruteForce,
  type Candidate,
  type FreeSlot,
  type MatchQuery,
  type ProfessionalInfo,
  type SiteInfo,
} from '../src/core/index/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BASE = Date.UTC(2025, 2, 30, 0, 0); // the night Paris skips 02:00–03:00: irrelevant to epoch ms
const TERRITORIES = ['t1', 't2'];
const SKILLS = ['ecg', 'sutures', 'paediatrics'];
const FEW_PROFESSIONS: Profession[] = ['gp', 'nurse', 'physio'];
// A few fixed points so that several sites share a place (distance ties).
const PLACES = [
  { lat: 45.0, lon: 1.0 },
  { lat: 45.05, lon: 1.02 },
  { lat: 44.9, lon: 0.95 },
];

// Anywhere in a ~65 km square around the places.
const pointArb = fc.record({
  lat: fc.noBias(fc.double({ min: 44.7, max: 45.3, noNaN: true })),
  lon: fc.noBias(fc.double({ min: 0.7, max: 1.3, noNaN: true })),
});

interface World {
  slots: FreeSlot[];
}

/** A small random territory world; `spanQuarters` sets how densely slots pile up per hour. */
function worldArb(maxSlots: number, spanQuarters: number): fc.Arbitrary<World> {
  const professionalArb = fc.record({
    profession: fc.constantFrom<Profession>(...FEW_PROFESSIONS, 'midwife'),
    skills: fc.subarray(SKILLS),
  });
  const siteArb = fc.oneof(fc.constantFrom(...PLACES), pointArb);
  const slotArb = fc.record({
    territory: fc.nat(TERRITORIES.length - 1),
    professional: fc.nat(7),
    site: fc.nat(4),
    modality: fc.constantFrom(...MODALITIES),
    quarter: fc.integer({ min: 0, max: spanQuarters }),
    // Mostly on the quarter hour (many ties), sometimes anywhere in it.
    offsetMs: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(15 * MINUTE - 1) }),
    lengthMin: fc.constantFrom(15, 20, 30),
  });
  return fc
    .record({
      professionals: fc.array(professionalArb, { minLength: 8, maxLength: 8 }),
      sites: fc.array(siteArb, { minLength: 5, maxLength: 5 }),
      slots: fc.array(slotArb, { maxLength: maxSlots, size: 'max' }),
    })
    .map(({ professionals, sites, slots }) => {
      const pros: ProfessionalInfo[] = professionals.map((p, i) => ({
        id: `p${i}`,
        rpps: String(10000000000 + i),
        name: `Pro ${i}`,
        profession: p.profession,
        skills: p.skills,
      }));
      const places: SiteInfo[] = sites.map((s, i) => ({ id: `site${i}`, commune: '17306', ...s }));
      return {
        slots: slots.map((s, i): FreeSlot => {
          const start = BASE + s.quarter * 15 * MINUTE + s.offsetMs;
          return {
            // Ids whose order differs from insertion order, to exercise the id tie-break.
            id: `s${(i * 7919) % 1009}-${i}`,
            territoryId: TERRITORIES[s.territory]!,
            professional: pros[s.professional]!,
            site: places[s.site]!,
            modality: s.modality,
            start,
            end: start + s.lengthMin * MINUTE,
            seq: i + 1,
          };
        }),
      };
    });
}

function queryArb(world: World, spanQuarters: number): fc.Arbitrary<MatchQuery> {
  const spanMs = spanQuarters * 15 * MINUTE;
  return fc
    .record({
      // Biased towards queries that find something; the rare odd one still comes up.
      territoryId: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...TERRITORIES) }, { weight: 1, arbitrary: fc.constant('unknown') }),
      professions: fc.oneof(
        { weight: 9, arbitrary: fc.array(fc.constantFrom(...FEW_PROFESSIONS), { minLength: 1, maxLength: 3 }) },
        { weight: 1, arbitrary: fc.array(fc.constantFrom(...PROFESSIONS), { maxLength: 4 }) },
      ),
      skills: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.subarray(SKILLS, { maxLength: 2 }) }),
      modalities: fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.subarray([...MODALITIES]) }),
      from: fc.noBias(fc.integer({ min: BASE - 2 * HOUR, max: BASE + spanMs + HOUR })),
      windowMs: fc.oneof(
        { weight: 9, arbitrary: fc.noBias(fc.integer({ min: 0, max: 50 * HOUR })) },
        { weight: 1, arbitrary: fc.integer({ min: -HOUR, max: 0 }) },
      ),
      near: fc.option(
        fc.oneof(fc.constantFrom(...PLACES), pointArb),
        { nil: undefined },
      ),
      maxDistanceKm: fc.option(fc.oneof(fc.integer({ min: 0, max: 40_000 }).map((m) => m / 1000), fc.constantFrom(0, 5.5)), { nil: undefined }),
      limit: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 0 }) }),
      exclude: fc.option(fc.subarray(world.slots.map((s) => s.id), { maxLength: Math.min(4, world.slots.length) }), { nil: undefined }),
    })
    .map(
      (q): MatchQuery => ({
        territoryId: q.territoryId,
        professions: q.professions,
        skills: q.skills,
        modalities: q.modalities,
        from: q.from,
        until: q.from + q.windowMs,
        limit: q.limit,
        ...(q.near !== undefined ? { near: q.near } : {}),
        ...(q.maxDistanceKm !== undefined ? { maxDistanceKm: q.maxDistanceKm } : {}),
        ...(q.exclude !== undefined ? { excludeSlotIds: new Set(q.exclude) } : {}),
      }),
    );
}

function scenarioArb(maxSlots: number, spanQuarters: number) {
  return worldArb(maxSlots, spanQuarters).chain((world) =>
    fc.tuple(fc.constant(world), fc.array(queryArb(world, spanQuarters), { minLength: 1, maxLength: 8 })),
  );
}

/**
 * The index gives each skill a bit until it runs out, then checks skills on the
 * professional. `saturated` spends every bit on other skills first, so the
 * world's skills take that slower path.
 */
function indexOf(slots: readonly FreeSlot[], saturated = false): SlotIndex {
  const index = new SlotIndex();
  if (saturated) {
    const hoarder: ProfessionalInfo = { id: 'h', rpps: '1', name: 'H', profession: 'gp', skills: Array.from({ length: 40 }, (_, i) => `other-${i}`) };
    const site: SiteInfo = { id: 'h', commune: '1', lat: 0, lon: 0 };
    index.upsert({ id: 'hoard', territoryId: 't1', professional: hoarder, site, modality: 'office', start: BASE, end: BASE + HOUR, seq: 0 });
    index.remove('hoard');
  }
  for (const slot of slots) index.upsert(slot);
  return index;
}

const summary = (cs: readonly Candidate[]) => cs.map((c) => [c.slot.id, c.slot.start, c.distanceKm]);

t.test('match equals the brute-force oracle: same slots, same order, same distances', async (t) => {
  // Sparse (60 h, thin hours), dense (6 h), then crowded (1 h: many slots per instant, ties cut by limit).
  for (const [maxSlots, span, runs] of [[60, 240, 600], [250, 24, 300], [150, 4, 300]] as const) {
    fc.assert(
      fc.property(scenarioArb(maxSlots, span), fc.boolean(), ([world, queries], saturated) => {
        const index = indexOf(world.slots, saturated);
        for (const q of queries) assert.deepStrictEqual(summary(index.match(q)), summary(matchBruteForce(world.slots, q)));
      }),
      { numRuns: runs },
    );
  }
  t.pass('oracle agreed on every generated case');
});

t.test('a match never breaks a rule', async (t) => {
  fc.assert(
    fc.property(scenarioArb(120, 96), ([world, queries]) => {
      const index = indexOf(world.slots);
      for (const q of queries) {
        const found = index.match(q);
        assert.ok(found.length <= Math.max(0, q.limit), 'at most limit');
        assert.equal(new Set(found.map((c) => c.slot.id)).size, found.length, 'no slot twice');
        for (const { slot, distanceKm } of found) {
          assert.ok(slot.start >= q.from, 'not before from');
          assert.ok(slot.start < q.until, 'not at or after until');
          assert.equal(slot.territoryId, q.territoryId, 'territory');
          assert.ok(q.professions.includes(slot.professional.profession), 'profession');
          for (const skill of q.skills) assert.ok(slot.professional.skills.includes(skill), `skill ${skill}`);
          if (q.modalities.length > 0) assert.ok(q.modalities.includes(slot.modality), 'modality');
          assert.ok(!q.excludeSlotIds?.has(slot.id), 'excluded');
          if (q.near) {
            assert.equal(distanceKm, haversineKm(q.near, slot.site), 'distance computed');
            if (q.maxDistanceKm !== undefined) assert.ok(distanceKm! <= q.maxDistanceKm, 'within max distance');
          } else {
            assert.equal(distanceKm, null, 'no point, no distance');
          }
        }
        for (let i = 1; i < found.length; i++) {
          const [a, b] = [found[i - 1]!, found[i]!];
          assert.ok(a.slot.start < b.slot.start || (a.slot.start === b.slot.start && (a.distanceKm ?? 0) <= (b.distanceKm ?? 0)), 'earliest, then nearest');
        }
      }
    }),
    { numRuns: 300 },
  );
  t.pass('no rule broken on any generated case');
});

/** The same slots under canonical UUIDs (the index packs those): id order still differs from insertion order. */
function withUuids(slots: readonly FreeSlot[]): FreeSlot[] {
  return slots.map((slot, i) => ({ ...slot, id: `00000000-0000-4000-8000-${((i * 7919) % 1009).toString(16).padStart(8, '0')}${i.toString(16).padStart(4, '0')}` }));
}

t.test('a bulk load (slots appended, each bucket sorted once) gives the oracle\'s answers, during it and after', async (t) => {
  const changedArb = fc.record({ moveBy: fc.integer({ min: -3 * HOUR, max: 3 * HOUR }), removeEvery: fc.integer({ min: 2, max: 9 }) });
  fc.assert(
    fc.property(scenarioArb(200, 96), fc.boolean(), fc.boolean(), changedArb, ([world, queries], saturated, uuids, changed) => {
      const slots = uuids ? withUuids(world.slots) : world.slots;
      const index = indexOf([], saturated);
      const half = slots.length >> 1;
      index.beginBulkLoad();
      for (const slot of slots.slice(0, half)) index.upsert(slot);
      // A match during the load reads the lanes it needs in order.
      for (const q of queries) assert.deepStrictEqual(summary(index.match(q)), summary(matchBruteForce(slots.slice(0, half), q)), 'during the load');
      for (const slot of slots.slice(half)) index.upsert(slot);
      // Replacements and removals during the load (a full load has none; the index must stay right anyway).
      const final = new Map(slots.map((s) => [s.id, s]));
      slots.forEach((slot, i) => {
        if (i % changed.removeEvery === 0) {
          index.remove(slot.id);
          final.delete(slot.id);
        } else if (i % changed.removeEvery === 1) {
          const moved = { ...slot, start: slot.start + changed.moveBy, end: slot.end + changed.moveBy };
          index.upsert(moved);
          final.set(slot.id, moved);
        }
      });
      index.endBulkLoad();
      const after = [...final.values()];
      assert.equal(index.size, after.length);
      for (const q of queries) assert.deepStrictEqual(summary(index.match(q)), summary(matchBruteForce(after, q)), 'after the load');
      // Filed in place again afterwards.
      const late = slots[0];
      if (late !== undefined && !final.has(late.id)) {
        index.upsert(late);
        after.push(late);
        for (const q of queries) assert.deepStrictEqual(summary(index.match(q)), summary(matchBruteForce(after, q)), 'an upsert after the load');
      }
    }),
    { numRuns: 400 },
  );
  t.pass('oracle agreed before, during and after every generated bulk load');
});
