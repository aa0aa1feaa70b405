// The by-RPPS view of the SlotIndex (src/db/sync/professional-slots.ts): fed by
// the sync's change feed, always re-checked against the index.
import t from 'tap';
import { SlotIndex, type FreeSlot, type ProfessionalInfo, type SiteInfo } from '../src/core/index/index.js';
import type { SlotAvailabilityChange } from '../src/db/sync/index-sync.js';
import { ProfessionalSlotView } from '../src/db/sync/professional-slots.js';

/** What IndexSync does: change the index, then tell its listeners. */
class Feed {
  private readonly listeners = new Set<(c: SlotAvailabilityChange) => void>();
  constructor(readonly index: SlotIndex) {}
  onChange(listener: (c: SlotAvailabilityChange) => void) { this.listeners.add(listener); return () => this.listeners.delete(listener); }
  add(slot: FreeSlot) { this.index.upsert(slot); for (const l of this.listeners) l({ slotId: slot.id, territoryId: slot.territoryId, available: true }); }
  take(id: string) { this.index.remove(id); for (const l of this.listeners) l({ slotId: id, territoryId: null, available: false }); }
}

const pro = (rpps: string): ProfessionalInfo => ({ id: `p${rpps}`, rpps, name: 'A B', profession: 'gp', skills: [] });
const site: SiteInfo = { id: 's1', commune: '69259', lat: 45.7, lon: 4.88 };
const HOUR = 3_600_000;
const slot = (id: string, professional: ProfessionalInfo, start: number): FreeSlot =>
  ({ id, territoryId: 'terr-a', professional, site, modality: 'office', start, end: start + HOUR / 3, seq: 1 });

t.test('follows additions and removals, and files what the index held before', async (t) => {
  const index = new SlotIndex();
  const feed = new Feed(index);
  const [a, b] = [pro('10000000001'), pro('10000000002')];
  index.upsert(slot('before', a, 10 * HOUR));
  const view = new ProfessionalSlotView(index);
  const detach = view.attach(feed);
  feed.add(slot('s1', a, 11 * HOUR));
  feed.add(slot('s2', b, 11 * HOUR));
  t.same(view.slotsOf(a.rpps).map((s) => s.id).sort(), ['before', 's1']);
  t.same(view.slotsOf(b.rpps).map((s) => s.id), ['s2']);
  t.same(view.slotsOf('19999999999'), [], 'an unknown RPPS has none');
  feed.take('s1');
  t.same(view.slotsOf(a.rpps).map((s) => s.id), ['before']);
  t.equal(view.size, 2);
  detach();
  feed.add(slot('after', a, 12 * HOUR));
  t.same(view.slotsOf(a.rpps).map((s) => s.id), ['before'], 'detached: no longer follows');
});

t.test('what the feed does not say (horizon eviction, a slot moved to another professional) is caught on read and by the sweep', async (t) => {
  const index = new SlotIndex();
  const feed = new Feed(index);
  const [a, b] = [pro('10000000001'), pro('10000000002')];
  const view = new ProfessionalSlotView(index);
  view.attach(feed);
  for (let i = 0; i < 10; i++) feed.add(slot(`s${i}`, a, (i + 1) * HOUR));
  index.evictStartedBefore(5 * HOUR + 1); // silently: s0..s4 leave the index
  t.equal(view.size, 10, 'the view still holds the evicted entries…');
  t.equal(view.sweep(100), 5, '…until the sweep drops them');
  t.equal(view.size, 5);
  t.same(view.slotsOf(a.rpps).map((s) => s.id).sort(), ['s5', 's6', 's7', 's8', 's9']);

  index.upsert(slot('s9', b, 10 * HOUR)); // replaced in place: no feed event
  t.same(view.slotsOf(a.rpps).map((s) => s.id).sort(), ['s5', 's6', 's7', 's8'], 'a read checks each slot\'s professional');
  t.same(view.slotsOf(b.rpps).map((s) => s.id), ['s9'], 'and refiles it under its new one');

  index.evictStartedBefore(8 * HOUR + 1);
  t.same(view.slotsOf(a.rpps).map((s) => s.id), ['s8'], 'a read never returns what left the index');
  let swept = 0;
  for (let round = 0; round < 10; round++) swept += view.sweep(1);
  t.equal(view.size, 2, 'a small sweep budget gets there over several rounds');
  t.ok(swept >= 0);
});

t.test('the sweep refiles a slot moved to another professional under the new one', async (t) => {
  const index = new SlotIndex();
  const feed = new Feed(index);
  const [a, b] = [pro('10000000001'), pro('10000000002')];
  const view = new ProfessionalSlotView(index);
  view.attach(feed);
  feed.add(slot('s1', a, HOUR));
  feed.add(slot('s2', a, 2 * HOUR));
  index.upsert(slot('s2', b, 2 * HOUR)); // replaced in place: no feed event
  t.equal(view.sweep(100), 1, 'the sweep finds the one filed under the wrong professional');
  t.equal(view.size, 2, 'and files it again rather than losing it');
  t.same(view.slotsOf(b.rpps).map((s) => s.id), ['s2']);
  t.same(view.slotsOf(a.rpps).map((s) => s.id), ['s1']);
});
