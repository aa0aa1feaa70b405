// In-process matcher benchmark (SPEC §5: p99 ≤ 20 µs at 1,000,000 free slots,
// ≤ 400 MB). Builds a synthetic on-call-shaped data set, times random realistic
// queries (each once, over 500 territories: caches mostly cold, the bar's figure;
// then each again right after itself: caches warm, as for an instance serving one
// territory), and measures a brute-force linear scan in the same run as baseline.
// It prints numbers; it never asserts on them.
//
//   node --expose-gc --import tsx bench/matcher-inprocess.ts [--quick] [--seed=N] [--baseline-layout]
//
// --quick: 20,000 slots and 2,000 queries, for CI. --expose-gc makes the memory
// figures exclude garbage. --baseline-layout: after the memory figures, also
// builds the pre-issue-18 index (one object per slot, bench/lib/object-slot-index)
// from the same slots and times both on every query, alternating, in this run.
import { loadavg } from 'node:os';
import { setDebugSlowdown } from '../src/core/debug-slowdown.js';
import { loadConfig } from '../src/config.js';
import { writeResults } from './lib/results.js';
import type { Modality, Profession } from '../src/core/domain.js';
import { ObjectSlotIndex } from './lib/object-slot-index/slot-index.js';
import { SlotIndex, matchBruteForce, type FreeSlot, type MatchQuery, type ProfessionalInfo, type SiteInfo } from '../src/core/index/index.js';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const BASELINE_LAYOUT = args.includes('--baseline-layout');
// The deliberate slowdown of the bench guards' test, when set (no service here to install it).
setDebugSlowdown(loadConfig({ SNP_DEBUG_SLOWDOWN: process.env.SNP_DEBUG_SLOWDOWN }).SNP_DEBUG_SLOWDOWN);
const SEED = Number(args.find((a) => a.startsWith('--seed='))?.slice(7) ?? 42);
const SLOTS = QUICK ? 20_000 : 1_000_000;
const SLOTS_PER_PROFESSIONAL = 20;
const PROFESSIONALS = SLOTS / SLOTS_PER_PROFESSIONAL;
const TERRITORIES = QUICK ? 10 : 500;
const QUERIES = QUICK ? 2_000 : 100_000;
const WARMUP = QUICK ? 2_000 : 20_000; // let the JIT settle before timing
const BASELINE_SAMPLE = QUICK ? 50 : 200;
const CHANGES = QUICK ? 5_000 : 100_000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Monday 2 June 2025, 09:00 in Paris: the morning before the afternoon bands.
const NOW = Date.UTC(2025, 5, 2, 7, 0);
const TODAY_UTC_MIDNIGHT = Date.UTC(2025, 5, 2);
const HORIZON_MS = 50 * HOUR; // the index holds a bit more than the 48 h a query may search

// ---------------------------------------------------------------- random
let rngState = SEED >>> 0;
function random(): number {
  // mulberry32: small, seeded, good enough for synthetic data
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let x = rngState;
  x = Math.imul(x ^ (x >>> 15), x | 1);
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}
const between = (lo: number, hi: number) => lo + random() * (hi - lo);
const intBelow = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[intBelow(xs.length)]!;
function weighted<T>(entries: readonly (readonly [T, number])[]): T {
  let r = random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of entries) if ((r -= w) < 0) return value;
  return entries[entries.length - 1]![0];
}
// UUID-shaped ids as flat strings, like the text a PostgreSQL driver returns
// (a template literal would build a rope of small strings and inflate memory).
const HEX = '0123456789abcdef';
const uuidBytes = Buffer.alloc(36);
function uuid(): string {
  for (let i = 0; i < 36; i++) uuidBytes[i] = i === 8 || i === 13 || i === 18 || i === 23 ? 45 : HEX.charCodeAt(intBelow(16));
  return uuidBytes.toString('latin1');
}

// ---------------------------------------------------------------- data set
const PROFESSION_MIX: (readonly [Profession, number])[] = [
  ['nurse', 35], ['gp', 30], ['physio', 15], ['pharmacist', 8], ['midwife', 4], ['dentist', 4], ['paediatrician', 4],
];
const SKILLS: Record<Profession, readonly string[]> = {
  gp: ['paediatrics', 'sutures', 'ecg', 'gynaecology'],
  nurse: ['wound-care', 'sutures', 'injections'],
  physio: ['respiratory', 'paediatrics'],
  pharmacist: ['strep-test', 'vaccination'],
  midwife: ['gynaecology'],
  dentist: ['emergency'],
  paediatrician: ['neonatal'],
};
// Local-time offsets (fixed for the benchmark's date): most CPTS are in metropolitan France.
const UTC_OFFSETS_H: (readonly [number, number])[] = [[2, 96], [4, 2], [-4, 1.5], [-3, 0.5]];
// Local on-call bands [from hour, to hour) and how often each is a professional's usual one.
const BANDS: (readonly [readonly [number, number], number])[] = [[[14, 20], 70], [[8, 12], 15], [[18, 22], 15]];

interface Territory { id: string; lat: number; lon: number; radiusKm: number; utcOffsetH: number; weight: number }

const territories: Territory[] = Array.from({ length: TERRITORIES }, (_, i) => ({
  id: `cpts-${String(i).padStart(3, '0')}`,
  lat: between(43, 50.5),
  lon: between(-1.5, 7),
  radiusKm: between(5, 20),
  utcOffsetH: weighted(UTC_OFFSETS_H),
  weight: between(0.3, 1.7),
}));
const territoryWeights = territories.map((t) => [t, t.weight] as const);

function pointNear(t: Territory, radiusKm: number): { lat: number; lon: number } {
  const r = radiusKm * Math.sqrt(random());
  const angle = between(0, 2 * Math.PI);
  return {
    lat: t.lat + (r * Math.cos(angle)) / 111.2,
    lon: t.lon + (r * Math.sin(angle)) / (111.2 * Math.cos((t.lat * Math.PI) / 180)),
  };
}

interface Practitioner { info: ProfessionalInfo; territory: Territory; sites: SiteInfo[] }

function makePractitioner(i: number): Practitioner {
  const territory = weighted(territoryWeights);
  const profession = weighted(PROFESSION_MIX);
  const skills = SKILLS[profession].filter(() => random() < 0.25);
  const info: ProfessionalInfo = { id: uuid(), rpps: String(10_000_000_000 + i), name: `Professional ${i}`, profession, skills };
  const siteCount = random() < 0.2 ? 2 : 1;
  const sites = Array.from({ length: siteCount }, (): SiteInfo => ({ id: uuid(), commune: String(10_000 + intBelow(80_000)), ...pointNear(territory, territory.radiusKm) }));
  return { info, territory, sites };
}

function modality(): Modality {
  return weighted([['office', 75], ['home', 15], ['video', 10]] as const);
}

/**
 * Twenty free slots of one professional within the horizon: its usual on-call
 * band on the days it is on call, some slots already booked, and extra bands
 * when that is not enough (exactly 20 keeps the total at the target).
 */
function* slotsOf(p: Practitioner): Generator<FreeSlot> {
  const lengthMin = pick([15, 20, 30]);
  const usual = weighted(BANDS);
  const bands = [usual, ...BANDS.map(([band]) => band).filter((band) => band !== usual)];
  const taken = new Set<number>();
  let made = 0;
  for (let pass = 0; made < SLOTS_PER_PROFESSIONAL; pass++) {
    const [fromH, toH] = bands[pass % bands.length]!;
    for (let day = 0; day * DAY < HORIZON_MS + DAY && made < SLOTS_PER_PROFESSIONAL; day++) {
      if (pass === 0 && random() < 0.3) continue; // not on call every day
      const bandStart = TODAY_UTC_MIDNIGHT + day * DAY + (fromH - p.territory.utcOffsetH) * HOUR;
      const bandEnd = bandStart + (toH - fromH) * HOUR;
      for (let start = bandStart; start + lengthMin * MINUTE <= bandEnd && made < SLOTS_PER_PROFESSIONAL; start += lengthMin * MINUTE) {
        if (start < NOW || start >= NOW + HORIZON_MS || taken.has(start)) continue;
        if (random() < 0.15) continue; // already booked
        taken.add(start);
        made++;
        yield {
          id: uuid(),
          territoryId: p.territory.id,
          professional: p.info,
          site: p.sites[made % p.sites.length]!,
          modality: modality(),
          start,
          end: start + lengthMin * MINUTE,
          seq: made,
        };
      }
    }
  }
}

function makeQuery(): MatchQuery {
  const territory = weighted(territoryWeights);
  const professionCount = weighted([[1, 65], [2, 25], [3, 10]] as const);
  const professions = new Set<Profession>();
  while (professions.size < professionCount) professions.add(weighted(PROFESSION_MIX));
  const first = [...professions][0]!;
  const from = NOW + Math.floor(between(0, 2 * HOUR));
  const near = random() < 0.6 ? pointNear(territory, territory.radiusKm) : undefined;
  return {
    territoryId: territory.id,
    professions: [...professions],
    skills: random() < 0.25 ? [pick(SKILLS[first])] : [],
    modalities: random() < 0.2 ? pick<Modality[]>([['office'], ['home'], ['video'], ['office', 'video']]) : [],
    from,
    until: from + 48 * HOUR,
    limit: 5,
    ...(near ? { near } : {}),
    ...(near && random() < 0.5 ? { maxDistanceKm: pick([5, 10, 15, 20, 30]) } : {}),
  };
}

// ---------------------------------------------------------------- measuring
const gc = (globalThis as { gc?: () => void }).gc;
const collect = () => {
  gc?.();
  gc?.();
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const elapsedMs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function percentiles(micros: Float64Array) {
  const sorted = Float64Array.from(micros).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: sorted[sorted.length - 1]!, mean };
}

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e3;
}

// ---------------------------------------------------------------- run
const loadAtStart = loadavg()[0]!.toFixed(1); // timings are only as quiet as the machine
const rows: [string, string][] = [];
const row = (label: string, value: string) => rows.push([label, value]);

const practitioners = Array.from({ length: PROFESSIONALS }, (_, i) => makePractitioner(i));
collect();
const before = process.memoryUsage();

// Streamed like a cursor load: batches of rows become slots, are applied, and
// are dropped; only the upserts are timed.
const index = new SlotIndex();
const BATCH = 10_000;
let batch: FreeSlot[] = [];
let upsertNs = 0n;
const wallStart = process.hrtime.bigint();
const applyBatch = () => {
  const t0 = process.hrtime.bigint();
  for (const s of batch) index.upsert(s);
  upsertNs += process.hrtime.bigint() - t0;
  batch = [];
};
for (const p of practitioners) {
  for (const s of slotsOf(p)) batch.push(s);
  if (batch.length >= BATCH) applyBatch();
}
applyBatch();
const buildWallMs = elapsedMs(wallStart);
const buildMs = Number(upsertNs) / 1e6;
collect();
const mem = process.memoryUsage();
// The change and eviction steps at the end shrink the index: per-slot figures use this count.
const slotsBuilt = index.size;

let within48h = 0;
for (const s of index.values()) if (s.start < NOW + 48 * HOUR) within48h++;
row('free slots', `${slotsBuilt.toLocaleString('en')}, ${((100 * within48h) / slotsBuilt).toFixed(0)} % starting in the next 48 h`);
row('professionals / territories', `${PROFESSIONALS.toLocaleString('en')} / ${TERRITORIES}`);
row('build: upserts / with generating the rows', `${buildMs.toFixed(0)} ms / ${buildWallMs.toFixed(0)} ms`);
row(`heap used after build${gc ? ' (after gc)' : ' (no --expose-gc: includes garbage)'}`, mb(mem.heapUsed));
// The columns are typed arrays: off the heap, counted in arrayBuffers (and RSS).
const indexBytes = mem.heapUsed - before.heapUsed + (mem.arrayBuffers - before.arrayBuffers);
row('  of which the index (heap delta)', `${mb(mem.heapUsed - before.heapUsed)}, ${((mem.heapUsed - before.heapUsed) / slotsBuilt).toFixed(0)} bytes per slot`);
row('  index, heap + typed arrays (off-heap)', `${mb(indexBytes)}, ${(indexBytes / slotsBuilt).toFixed(0)} bytes per slot`);
// Peak so far: the build, with its batches of generated rows, is the high-water mark.
const peakRssAfterBuild = process.resourceUsage().maxRSS * 1024;
row('RSS before the slots / after build / peak so far', `${mb(before.rss)} / ${mb(mem.rss)} / ${mb(peakRssAfterBuild)}`);

const queries = Array.from({ length: QUERIES }, makeQuery);
for (let i = 0; i < WARMUP; i++) index.match(queries[i % queries.length]!);

const micros = new Float64Array(QUERIES);
let answered = 0;
let full = 0;
for (let i = 0; i < QUERIES; i++) {
  const q = queries[i]!;
  const start = process.hrtime.bigint();
  const found = index.match(q);
  micros[i] = Number(process.hrtime.bigint() - start) / 1e3;
  if (found.length > 0) answered++;
  if (found.length === q.limit) full++;
}
const indexed = percentiles(micros);
// The same queries, each run twice in a row and the second timed: its territory's lanes are then
// in the CPU caches, as they stay in production, where an instance serves one territory's few
// thousand slots over and over. Above, each query goes to a random one of 500 territories and
// mostly misses the caches; that cold figure is the one the bar reads.
const warmMicros = new Float64Array(QUERIES);
for (let i = 0; i < QUERIES; i++) {
  const q = queries[i]!;
  index.match(q);
  warmMicros[i] = time(() => index.match(q));
}
const warm = percentiles(warmMicros);
collect();
// After the queries: the index also keeps the slots it recently handed out (slot-columns.ts).
const rssAfterQueries = process.memoryUsage().rss;

// The old layout on the same slots and queries, alternating which goes first.
let layouts: { columns: ReturnType<typeof percentiles>; objects: ReturnType<typeof percentiles>; objectHeapBytes: number } | null = null;
if (BASELINE_LAYOUT) {
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const objects = new ObjectSlotIndex();
  for (const s of index.values()) objects.upsert(s);
  collect();
  const objectHeapBytes = process.memoryUsage().heapUsed - heapBefore;
  for (let i = 0; i < WARMUP; i++) objects.match(queries[i % queries.length]!);
  const a = new Float64Array(QUERIES);
  const b = new Float64Array(QUERIES);
  for (let i = 0; i < QUERIES; i++) {
    const q = queries[i]!;
    if (i % 2 === 0) {
      a[i] = time(() => index.match(q));
      b[i] = time(() => objects.match(q));
    } else {
      b[i] = time(() => objects.match(q));
      a[i] = time(() => index.match(q));
    }
  }
  layouts = { columns: percentiles(a), objects: percentiles(b), objectHeapBytes };
}

// Baseline: the same queries by a linear scan over every slot, in the same process.
const everySlot = [...index.values()];
const sample = Array.from({ length: BASELINE_SAMPLE }, (_, i) => i * Math.floor(QUERIES / BASELINE_SAMPLE));
const baselineMicros = new Float64Array(BASELINE_SAMPLE);
const coldIndexMicros = new Float64Array(BASELINE_SAMPLE);
let agree = 0;
sample.forEach((qi, k) => {
  const q = queries[qi]!;
  let expected: string[] = [];
  let got: string[] = [];
  baselineMicros[k] = time(() => (expected = matchBruteForce(everySlot, q).map((c) => c.slot.id)));
  // Right after a scan has flushed the CPU caches: the index's worst case.
  coldIndexMicros[k] = time(() => (got = index.match(q).map((c) => c.slot.id)));
  if (expected.join() === got.join()) agree++;
});
const baseline = percentiles(baselineMicros);
const sampleIndexed = percentiles(Float64Array.from(sample, (qi) => micros[qi]!));
const coldIndexed = percentiles(coldIndexMicros);

// Change application: move a random slot by half an hour (remove + upsert).
const changeMicros = new Float64Array(CHANGES);
for (let i = 0; i < CHANGES; i++) {
  const k = intBelow(everySlot.length);
  const victim = everySlot[k]!;
  const moved = { ...victim, start: victim.start + 30 * MINUTE, end: victim.end + 30 * MINUTE, seq: victim.seq + 1 };
  changeMicros[i] = time(() => {
    index.remove(victim.id);
    index.upsert(moved);
  });
  everySlot[k] = index.get(moved.id)!;
}
const changes = percentiles(changeMicros);

let evicted = 0;
const evictMs = time(() => (evicted = index.evictStartedBefore(NOW + 6 * HOUR))) / 1e3;

const us = (x: number) => `${x.toFixed(1)} µs`;
row('RSS after the queries', mb(rssAfterQueries));
row(`queries (after ${WARMUP.toLocaleString('en')} warm-up)`, `${QUERIES.toLocaleString('en')}, ${((100 * answered) / QUERIES).toFixed(1)} % with a candidate, ${((100 * full) / QUERIES).toFixed(1)} % with 5`);
row('match p50 / p90 / p99', `${us(indexed.p50)} / ${us(indexed.p90)} / ${us(indexed.p99)}`);
row('match p99.9 / max / mean', `${us(indexed.p999)} / ${us(indexed.max)} / ${us(indexed.mean)}`);
row('  the same query again at once (caches warm) p50 / p99', `${us(warm.p50)} / ${us(warm.p99)}`);
if (layouts !== null) {
  row('same queries, alternating: columns p50 / p99', `${us(layouts.columns.p50)} / ${us(layouts.columns.p99)}`);
  row('  old object layout p50 / p99', `${us(layouts.objects.p50)} / ${us(layouts.objects.p99)}`);
  row('  columns / objects (p50; p99)', `${(layouts.columns.p50 / layouts.objects.p50).toFixed(2)} ; ${(layouts.columns.p99 / layouts.objects.p99).toFixed(2)}`);
  row('  old object layout heap', `${mb(layouts.objectHeapBytes)}, ${(layouts.objectHeapBytes / slotsBuilt).toFixed(0)} bytes per slot`);
}
row(`baseline linear scan, ${BASELINE_SAMPLE} of the queries p50 / p99`, `${us(baseline.p50)} / ${us(baseline.p99)}`);
row('index on those queries p50 / p99', `${us(sampleIndexed.p50)} / ${us(sampleIndexed.p99)}`);
row('  each right after a scan (cold caches)', `${us(coldIndexed.p50)} / ${us(coldIndexed.p99)}`);
row('speed-up over the scan (means; cold)', `${(baseline.mean / sampleIndexed.mean).toFixed(0)}× ; ${(baseline.mean / coldIndexed.mean).toFixed(0)}×`);
row('index answers equal to the scan', `${agree} / ${BASELINE_SAMPLE}`);
row(`change (remove + upsert) p50 / p99, ${CHANGES.toLocaleString('en')}`, `${us(changes.p50)} / ${us(changes.p99)}`);
row('evict the first 6 h', `${evicted.toLocaleString('en')} slots in ${evictMs.toFixed(1)} ms`);

const width = Math.max(...rows.map(([label]) => label.length));
console.log(`\nin-process matcher — ${QUICK ? 'quick' : 'full'} run, seed ${SEED}, node ${process.version}, load average ${loadAtStart} at start, ${loadavg()[0]!.toFixed(1)} at end`);
for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
console.log(`  bar (SPEC §5): p99 ≤ 20 µs at 1,000,000 slots, ≤ 400 MB\n`);

const rssMbPer100k = ((mem.rss - before.rss) / 1048576) * (100_000 / slotsBuilt);
writeResults('matcher-inprocess', QUICK, {
  postgres: null,
  figures: {
    slots: slotsBuilt, slotsAfterChangesAndEviction: index.size, matchP50Us: indexed.p50, matchP90Us: indexed.p90, matchP99Us: indexed.p99, matchP999Us: indexed.p999,
    coldMatchP99Us: coldIndexed.p99, warmMatchP50Us: warm.p50, warmMatchP99Us: warm.p99, changeP50Us: changes.p50, changeP99Us: changes.p99, buildMs,
    indexHeapMb: (mem.heapUsed - before.heapUsed) / 1048576, indexHeapAndTypedArraysMb: indexBytes / 1048576,
    rssBeforeSlotsMb: before.rss / 1048576, rssAfterBuildMb: mem.rss / 1048576, peakRssAfterBuildMb: peakRssAfterBuild / 1048576, rssAfterQueriesMb: rssAfterQueries / 1048576,
    answersEqualToScan: agree, sampled: BASELINE_SAMPLE,
  },
  baselines: {
    linearScanP50Us: baseline.p50, linearScanP99Us: baseline.p99, linearScanMeanUs: baseline.mean, indexOnSampleMeanUs: sampleIndexed.mean,
    ...(layouts === null ? {} : {
      alternatingColumnsP50Us: layouts.columns.p50, alternatingColumnsP99Us: layouts.columns.p99,
      objectLayoutP50Us: layouts.objects.p50, objectLayoutP99Us: layouts.objects.p99, objectLayoutHeapMb: layouts.objectHeapBytes / 1048576,
    }),
  },
  guarded: { inProcessMatchP99PerP50: indexed.p99 / indexed.p50, rssMbPer100kSlots: rssMbPer100k, indexBytesPerSlot: indexBytes / slotsBuilt },
});
