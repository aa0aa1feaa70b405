// What serving slots in several territories costs the match (issue 14): the
// same synthetic data in a plain SlotIndex and in the ServedSlotIndex the
// service uses, where 1 % of the professionals also serve a second territory;
// the same queries on both, interleaved, in one run (same-run ratio; absolute
// numbers move with the machine's load). Bounded: a few seconds.
//   node --expose-gc --import tsx scripts/measure-served-index.ts [--slots 200000]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { PROFESSIONS } from '../src/core/domain.js';
import { ServedSlotIndex, SlotIndex, type FreeSlot, type MatchQuery, type ProfessionalInfo } from '../src/core/index/index.js';

const { values } = parseArgs({ options: { slots: { type: 'string', default: '200000' }, queries: { type: 'string', default: '20000' } } });
const SLOTS = Number(values.slots);
const QUERIES = Number(values.queries);
const TERRITORIES = 100;
const PROFESSIONALS = Math.max(100, Math.round(SLOTS / 20));
const HOUR = 3_600_000;
const now = Date.UTC(2026, 11, 7, 6);

let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const territoryOf = (i: number) => `t${i % TERRITORIES}`;
const pros: ProfessionalInfo[] = Array.from({ length: PROFESSIONALS }, (_, i) => ({
  id: `p${i}`, rpps: String(10_000_000_000 + i), name: `P ${i}`, profession: PROFESSIONS[i % 3]!, skills: i % 5 === 0 ? ['ecg'] : [],
  // 1 % serve a second territory too.
  territories: i % 100 === 0 ? [territoryOf(i), territoryOf(i + 1)].sort() : [territoryOf(i)],
}));
const slots: FreeSlot[] = Array.from({ length: SLOTS }, (_, i) => {
  const p = i % PROFESSIONALS;
  const start = now + Math.floor(random() * 72) * HOUR + (i % 3) * 20 * 60_000;
  return { id: `s${i}`, territoryId: territoryOf(p), professional: pros[p]!, site: { id: `site${p}`, commune: '69259', lat: 45.7 + random() / 10, lon: 4.88 + random() / 10 }, modality: 'office', start, end: start + 20 * 60_000, seq: i };
});

function heap(): number { (globalThis as { gc?: () => void }).gc?.(); return process.memoryUsage().heapUsed; }
const base = heap();
const plain = new SlotIndex();
for (const s of slots) plain.upsert(s);
const plainHeap = heap() - base;
const served = new ServedSlotIndex();
for (const s of slots) served.upsert(s);
const servedHeap = heap() - base - plainHeap;

const queries: MatchQuery[] = Array.from({ length: QUERIES }, (_, i) => ({
  territoryId: territoryOf(Math.floor(random() * TERRITORIES)), professions: [PROFESSIONS[i % 3]!], skills: i % 7 === 0 ? ['ecg'] : [], modalities: [],
  from: now + Math.floor(random() * 24) * HOUR, until: now + 48 * HOUR, near: { lat: 45.75, lon: 4.9 }, limit: 5,
}));
const timings = { plain: [] as number[], served: [] as number[] };
let mismatches = 0;
for (let round = 0; round < 2; round++) {
  for (const [i, q] of queries.entries()) {
    // Each index goes first every other query, so neither gets the warmer caches.
    const [first, second] = i % 2 === 0 ? [plain, served] as const : [served, plain] as const;
    const t0 = process.hrtime.bigint();
    const x = first.match(q);
    const t1 = process.hrtime.bigint();
    const y = second.match(q);
    const t2 = process.hrtime.bigint();
    const [a, b, ta, tb] = i % 2 === 0 ? [x, y, t1 - t0, t2 - t1] : [y, x, t2 - t1, t1 - t0];
    if (round === 1) { timings.plain.push(Number(ta) / 1000); timings.served.push(Number(tb) / 1000); }
    // The served answer may hold a second territory's slots; the plain one never does.
    if (a.length > 0 && b.length === 0) mismatches++;
  }
}
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const line = (name: string, xs: number[]) => `${name.padEnd(16)} p50 ${pct(xs, 0.5).toFixed(1)} µs  p99 ${pct(xs, 0.99).toFixed(1)} µs`;
console.log(`${SLOTS} slots, ${PROFESSIONALS} professionals (1 % in two of ${TERRITORIES} territories), ${QUERIES} queries each; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(line('SlotIndex', timings.plain));
console.log(line('ServedSlotIndex', timings.served));
console.log(`ratio served/plain: p50 ${(pct(timings.served, 0.5) / pct(timings.plain, 0.5)).toFixed(2)}, p99 ${(pct(timings.served, 0.99) / pct(timings.plain, 0.99)).toFixed(2)}`);
console.log(`heap: SlotIndex ${(plainHeap / 1e6).toFixed(1)} MB, ServedSlotIndex ${(servedHeap / 1e6).toFixed(1)} MB (copies of ${slots.filter((s) => s.professional.territories!.length > 1).length} slots)`);
if (mismatches > 0) { console.error(`${mismatches} queries answered by the plain index and not the served one`); process.exitCode = 1; }
