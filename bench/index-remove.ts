// What a booking costs the index: removing the booked slot (issue 18). The
// booking benchmark's shape — one territory, GPs with consecutive quarter
// hours, so a six-hour time bucket holds thousands of slots — every slot
// removed in a random order, each removal timed. Same-run baseline: the
// pre-issue-18 index (bench/lib/object-slot-index), whose removal shifts the
// rest of its bucket, as the packed index did before its tombstones
// (src/core/index/time-bucket.ts). Three rounds, alternating which goes first.
// It prints numbers; it never asserts on them.
//
//   node --import tsx bench/index-remove.ts           # 400 professionals x 96 slots (38,400)
//   node --import tsx bench/index-remove.ts --quick   # 100 x 96 (CI)
import { SlotIndex, type FreeSlot, type ProfessionalInfo } from '../src/core/index/index.js';
import { ObjectSlotIndex } from './lib/object-slot-index/slot-index.js';
import { summarise, table } from './lib/stats.js';

const QUICK = process.argv.includes('--quick');
const PROFESSIONALS = QUICK ? 100 : 400;
const SLOTS_PER_PROFESSIONAL = 96; // a day of quarter hours, as bench/booking/dataset.ts
const QUARTER_HOUR = 900_000;
const BASE = Date.UTC(2026, 11, 8, 0);

const slots: FreeSlot[] = [];
for (let i = 0; i < PROFESSIONALS; i++) {
  const professional: ProfessionalInfo = { id: `p${i}`, rpps: String(10_000_000_000 + i), name: `Bench ${i}`, profession: 'gp', skills: [] };
  const site = { id: `s${i}`, commune: '69259', lat: 45.69 + (i % 20) / 1000, lon: 4.88 + (i % 17) / 1000 };
  for (let k = 0; k < SLOTS_PER_PROFESSIONAL; k++) {
    const n = i * SLOTS_PER_PROFESSIONAL + k;
    slots.push({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, territoryId: 'bench', professional, site,
      modality: 'office', start: BASE + k * QUARTER_HOUR, end: BASE + (k + 1) * QUARTER_HOUR, seq: 1 });
  }
}

interface Removable { upsert(slot: FreeSlot): void; remove(slotId: string): void; readonly size: number }

/** µs per removal, every slot removed in `order`. */
function timeRemovals(index: Removable, order: readonly string[]): number[] {
  for (const slot of slots) index.upsert(slot);
  const micros = new Array<number>(order.length);
  for (let i = 0; i < order.length; i++) {
    const t0 = process.hrtime.bigint();
    index.remove(order[i]!);
    micros[i] = Number(process.hrtime.bigint() - t0) / 1_000;
  }
  if (index.size !== 0) throw new Error(`${index.size} slots left after removing them all`);
  return micros;
}

const rows: (string | number)[][] = [['round', 'index', 'p50 µs', 'p99 µs', 'removals']];
const ratios: number[] = [];
for (let round = 1; round <= 3; round++) {
  const order = slots.map((s) => s.id);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const runs = { packed: () => timeRemovals(new SlotIndex(), order), shifting: () => timeRemovals(new ObjectSlotIndex(), order) };
  const first = round % 2 === 1 ? (['packed', 'shifting'] as const) : (['shifting', 'packed'] as const);
  const result: Record<string, ReturnType<typeof summarise>> = {};
  for (const name of first) result[name] = summarise(runs[name]());
  for (const name of ['packed', 'shifting'] as const) rows.push([round, name === 'packed' ? 'SlotIndex (tombstones)' : 'pre-issue-18 (shifts)', result[name]!.p50.toFixed(2), result[name]!.p99.toFixed(2), order.length]);
  ratios.push(result.shifting!.p50 / result.packed!.p50);
}
process.stdout.write(`index removal, ${PROFESSIONALS} professionals x ${SLOTS_PER_PROFESSIONAL} quarter hours in one territory${QUICK ? ' (quick)' : ''}\n`);
table(rows);
process.stdout.write(`shifting / tombstones p50, per round: ${ratios.map((r) => `${r.toFixed(1)}x`).join(', ')}\n`);
