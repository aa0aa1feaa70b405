// Readable examples of the matcher's rules, one story each.
import t from 'tap';
import { SlotIndex, haversineKm, type FreeSlot, type MatchQuery, type ProfessionalInfo, type SiteInfo } from '../src/core/index/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const AT_14H = Date.UTC(2025, 5, 2, 12, 0); // 14:00 in Paris (UTC+2)

const royan: SiteInfo = { id: 'royan', commune: '17306', lat: 45.6248, lon: -1.0288 };
const vaux: SiteInfo = { id: 'vaux', commune: '17461', lat: 45.6447, lon: -1.0578 }; // ~3 km from Royan
const saujon: SiteInfo = { id: 'saujon', commune: '17421', lat: 45.6724, lon: -0.9273 }; // ~9.5 km

const drMartin: ProfessionalInfo = { id: 'martin', rpps: '10000000007', name: 'Dr Martin', profession: 'gp', skills: ['ecg'] };
const drDurand: ProfessionalInfo = { id: 'durand', rpps: '10000000015', name: 'Dr Durand', profession: 'gp', skills: [] };
const nurseLeroy: ProfessionalInfo = { id: 'leroy', rpps: '10000000023', name: 'Mme Leroy', profession: 'nurse', skills: ['wound-care'] };

function slot(id: string, start: number, professional: ProfessionalInfo, site: SiteInfo, extra: Partial<FreeSlot> = {}): FreeSlot {
  return { id, territoryId: 'royan-atlantique', professional, site, modality: 'office', start, end: start + 15 * MINUTE, seq: 1, ...extra };
}

function query(extra: Partial<MatchQuery> = {}): MatchQuery {
  return { territoryId: 'royan-atlantique', professions: ['gp'], skills: [], modalities: [], from: AT_14H - HOUR, until: AT_14H + 48 * HOUR, limit: 5, ...extra };
}

function indexWith(...slots: FreeSlot[]): SlotIndex {
  const index = new SlotIndex();
  for (const s of slots) index.upsert(s);
  return index;
}

const ids = (index: SlotIndex, q: MatchQuery) => index.match(q).map((c) => c.slot.id);

t.test('the earliest slot wins; at the same start the nearest does', async (t) => {
  const index = indexWith(
    slot('far-at-14h', AT_14H, drMartin, saujon),
    slot('near-at-14h', AT_14H, drDurand, royan),
    slot('mid-at-14h', AT_14H, drMartin, vaux, { id: 'mid-at-14h' }),
    slot('far-at-13h45', AT_14H - 15 * MINUTE, drDurand, saujon),
  );
  const found = index.match(query({ near: royan }));
  t.same(found.map((c) => c.slot.id), ['far-at-13h45', 'near-at-14h', 'mid-at-14h', 'far-at-14h']);
  t.equal(found[1]!.distanceKm, 0);
  t.ok(found[2]!.distanceKm! > 2 && found[2]!.distanceKm! < 4, 'Vaux is about 3 km from Royan');
});

t.test('limit cuts through a tie on start by distance, not by insertion order', async (t) => {
  const index = indexWith(slot('a', AT_14H, drMartin, saujon), slot('b', AT_14H, drDurand, vaux), slot('c', AT_14H, drMartin, royan));
  t.same(ids(index, query({ near: royan, limit: 2 })), ['c', 'b']);
});

t.test('without a point, distance is null and ties fall back to slot id', async (t) => {
  const index = indexWith(slot('z', AT_14H, drMartin, saujon), slot('y', AT_14H, drDurand, royan));
  const found = index.match(query());
  t.same(found.map((c) => [c.slot.id, c.distanceKm]), [['y', null], ['z', null]]);
});

t.test('from is inclusive, until exclusive', async (t) => {
  const index = indexWith(slot('before', AT_14H - 1, drMartin, royan), slot('at-from', AT_14H, drMartin, royan), slot('at-until', AT_14H + HOUR, drMartin, royan));
  t.same(ids(index, query({ from: AT_14H, until: AT_14H + HOUR })), ['at-from']);
});

t.test('territory, profession, every skill and modality must fit', async (t) => {
  const index = indexWith(
    slot('gp-ecg-video', AT_14H, drMartin, royan, { modality: 'video' }),
    slot('gp-no-ecg', AT_14H, drDurand, royan),
    slot('nurse', AT_14H, nurseLeroy, royan),
    slot('other-cpts', AT_14H, drMartin, royan, { territoryId: 'venissieux' }),
  );
  t.same(ids(index, query()), ['gp-ecg-video', 'gp-no-ecg']);
  t.same(ids(index, query({ skills: ['ecg'] })), ['gp-ecg-video']);
  t.same(ids(index, query({ skills: ['ecg', 'sutures'] })), []);
  t.same(ids(index, query({ modalities: ['office', 'home'] })), ['gp-no-ecg']);
  t.same(ids(index, query({ professions: ['nurse', 'gp'] })), ['gp-ecg-video', 'gp-no-ecg', 'nurse']);
  t.same(ids(index, query({ professions: [] })), []);
  t.same(ids(index, query({ territoryId: 'venissieux' })), ['other-cpts']);
});

t.test('skills past the bit budget are still matched exactly', async (t) => {
  // 40 distinct skills: the first 27 get a bit each, the rest are checked on the professional.
  const many = Array.from({ length: 40 }, (_, i) => `skill-${i}`);
  const index = new SlotIndex();
  many.forEach((skill, i) => {
    const pro: ProfessionalInfo = { ...drDurand, id: `pro-${i}`, skills: [skill, many[(i + 1) % many.length]!] };
    index.upsert(slot(`s-${i}`, AT_14H + i * MINUTE, pro, royan));
  });
  t.same(ids(index, query({ skills: ['skill-3'] })), ['s-2', 's-3']);
  t.same(ids(index, query({ skills: ['skill-35'] })), ['s-34', 's-35']);
  t.same(ids(index, query({ skills: ['skill-35', 'skill-36'] })), ['s-35']);
  t.same(ids(index, query({ skills: ['skill-3', 'skill-35'] })), []);
  t.same(ids(index, query({ skills: ['nobody-has-this'] })), []);
});

t.test('maxDistanceKm only applies with a point', async (t) => {
  const index = indexWith(slot('royan', AT_14H, drMartin, royan), slot('saujon', AT_14H + HOUR, drMartin, saujon));
  t.same(ids(index, query({ near: royan, maxDistanceKm: 5 })), ['royan']);
  t.same(ids(index, query({ maxDistanceKm: 5 })), ['royan', 'saujon']);
});

t.test('excluded slots are skipped (the slot a requester just lost)', async (t) => {
  const index = indexWith(slot('taken', AT_14H, drMartin, royan), slot('next', AT_14H + 15 * MINUTE, drMartin, royan));
  t.same(ids(index, query({ excludeSlotIds: new Set(['taken']), limit: 1 })), ['next']);
});

t.test('an upsert moves a slot; remove is idempotent; started slots are evicted', async (t) => {
  const index = indexWith(slot('s1', AT_14H, drMartin, royan), slot('s2', AT_14H + HOUR, drDurand, royan));
  index.upsert(slot('s1', AT_14H + 3 * HOUR, nurseLeroy, royan));
  t.same(ids(index, query()), ['s2']);
  t.same(ids(index, query({ professions: ['nurse'] })), ['s1']);
  index.remove('s2');
  index.remove('s2');
  t.equal(index.size, 1);
  t.equal(index.evictStartedBefore(AT_14H + 3 * HOUR), 0, 'a slot starting now has not started yet');
  t.equal(index.evictStartedBefore(AT_14H + 3 * HOUR + 1), 1);
  t.equal(index.get('s1'), undefined);
});

t.test('epoch ms make the DST night a non-event', async (t) => {
  // 2025-03-30 in Paris: 01:59 local is 00:59Z, the next minute is 03:00 local, 01:00Z.
  const beforeJump = Date.UTC(2025, 2, 30, 0, 59);
  const afterJump = Date.UTC(2025, 2, 30, 1, 0);
  const index = indexWith(slot('after', afterJump, drMartin, royan), slot('before', beforeJump, drMartin, royan));
  t.same(ids(index, query({ from: beforeJump, until: afterJump + 1 })), ['before', 'after']);
});

t.test('the index keeps its own copy, sharing the professional and site', async (t) => {
  const input = { ...slot('s', AT_14H, drMartin, royan) };
  const index = indexWith(input);
  (input as { start: number }).start = AT_14H + 5 * HOUR; // a caller reusing its row object
  const stored = index.get('s')!;
  t.not(stored, input);
  t.equal(stored.start, AT_14H);
  t.equal(stored.professional, drMartin);
  t.equal(stored.site, royan);
  t.same(ids(index, query({ until: AT_14H + HOUR })), ['s']);
});

t.test('a slot the index cannot file is refused', async (t) => {
  const index = new SlotIndex();
  const odd = { ...drMartin, profession: 'astrologer' } as unknown as ProfessionalInfo;
  t.throws(() => index.upsert(slot('x', AT_14H, odd, royan)), RangeError);
  t.throws(() => index.upsert(slot('x', Number.NaN, drMartin, royan)), RangeError);
  t.throws(() => index.upsert(slot('x', AT_14H, drMartin, royan, { end: AT_14H })), RangeError);
  t.throws(() => index.upsert(slot('x', AT_14H, drMartin, royan, { modality: 'phone' as never })), RangeError);
  t.equal(index.size, 0);
});

t.test('haversine: Paris to Lyon is about 392 km', async (t) => {
  const km = haversineKm({ lat: 48.8566, lon: 2.3522 }, { lat: 45.764, lon: 4.8357 });
  t.ok(Math.abs(km - 391.5) < 1.5, `${km.toFixed(1)} km`);
  t.equal(haversineKm(royan, royan), 0);
});
