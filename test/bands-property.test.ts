// Property tests for materialiseBand against a brute-force oracle that walks
// time minute by minute and reads the local clock with Intl directly (not
// date-fns-tz), so the two compute local time along different paths.
import fc from 'fast-check';
import t from 'tap';
import { type BandRule, materialiseBand } from '../src/core/time/index.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const ZONES = [
  'Europe/Paris', 'Indian/Reunion', 'Indian/Mayotte', 'America/Martinique', 'America/Guadeloupe', 'America/Cayenne',
  'Europe/London', 'America/New_York', 'America/Santiago', // Santiago changes clocks at midnight
  'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu', // 30-minute DST, +12:45/+13:45, +05:45
] as const;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Local wall clock of an instant, as ms since epoch read "as if UTC", floored to the minute. */
function wallClock(zone: string, instantMs: number): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instantMs)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
}
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const dateOf = (dayNumber: number) => new Date(dayNumber * DAY).toISOString().slice(0, 10);
const dayNumberOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const weekdayOf = (dayNumber: number) => ((new Date(dayNumber * DAY).getUTCDay() + 6) % 7) + 1;

/** The band's window in minutes after midnight of the day it opens (end may pass 1440). */
function windowOf(band: BandRule): [number, number] {
  const [sh, sm] = band.localStart.split(':').map(Number) as [number, number];
  const [eh, em] = band.localEnd.split(':').map(Number) as [number, number];
  const start = sh * 60 + sm;
  const end = eh * 60 + em;
  return [start, end > start ? end : end + 1440];
}

function opensOn(band: BandRule, day: number): boolean {
  if (!band.daysOfWeek.includes(weekdayOf(day))) return false;
  if (day < dayNumberOf(band.validFrom)) return false;
  return band.validUntil === null || day <= dayNumberOf(band.validUntil);
}

/** The rules of materialise.ts, restated naively: wall minute → first instant showing it. */
function oracle(band: BandRule, zone: string, from: number, until: number): Array<[number, number]> {
  const firstInstant = new Map<number, number>();
  for (let t = Math.floor(from / MINUTE) * MINUTE - 2 * DAY; t < until + 2 * DAY; t += MINUTE) {
    const w = wallClock(zone, t);
    if (!firstInstant.has(w)) firstInstant.set(w, t);
  }
  const [start, end] = windowOf(band);
  const slots: Array<[number, number]> = [];
  for (let day = Math.floor(from / DAY) - 2; day <= Math.floor(until / DAY) + 1; day++) {
    if (!opensOn(band, day)) continue;
    for (let m = start; m + band.slotMinutes <= end; m += band.slotMinutes) {
      const s = firstInstant.get(day * DAY + m * MINUTE);
      const last = firstInstant.get(day * DAY + (m + band.slotMinutes - 1) * MINUTE);
      if (s === undefined || last === undefined) continue; // a minute that does not exist
      if (last + MINUTE - s !== band.slotMinutes * MINUTE) continue; // straddles a clock change
      if (s >= from && s < until) slots.push([s, last + MINUTE]);
    }
  }
  return slots;
}

/** Every clock change of a zone in 2025–2027, to the minute (probing every 6 hours, then bisecting). */
function clockChanges(zone: string): number[] {
  const offset = (ms: number) => wallClock(zone, ms) - Math.floor(ms / MINUTE) * MINUTE;
  const changes: number[] = [];
  for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2028, 0, 1); t += 6 * 3_600_000) {
    if (offset(t) === offset(t + 6 * 3_600_000)) continue;
    let [lo, hi] = [t, t + 6 * 3_600_000];
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (offset(mid) === offset(lo)) lo = mid;
      else hi = mid;
    }
    changes.push(hi);
  }
  return changes;
}
const changesByZone = new Map(ZONES.map((z) => [z, clockChanges(z)]));

t.test('the oracle sees the clock changes it should', async (t) => {
  t.equal(changesByZone.get('Europe/Paris')!.length, 6, 'Paris: two a year');
  t.ok(changesByZone.get('Europe/Paris')!.includes(Date.UTC(2026, 2, 29, 1)), 'spring forward 2026-03-29 01:00Z');
  t.ok(changesByZone.get('Europe/Paris')!.includes(Date.UTC(2026, 9, 25, 1)), 'fall back 2026-10-25 01:00Z');
  for (const zone of ['Indian/Reunion', 'America/Martinique', 'America/Guadeloupe', 'America/Cayenne', 'Indian/Mayotte']) {
    t.same(changesByZone.get(zone as (typeof ZONES)[number]), [], `${zone}: no DST`);
  }
});

const clock = fc.oneof(fc.integer({ min: 0, max: 287 }).map((x) => x * 5), fc.integer({ min: 0, max: 1439 }));
/**
 * A random band in a random zone and a window of at most `maxWindowHours`. Half the
 * cases are built around one of the zone's clock changes: the band is open that day
 * and the window covers the change, so the DST rules are exercised, not just sampled.
 */
const bandAndWindow = (maxWindowHours: number) => fc
  .record({
    zone: fc.constantFrom(...ZONES),
    days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    everyDay: fc.boolean(),
    start: clock,
    end: fc.oneof(clock, fc.constant(1440)),
    slotMinutes: fc.oneof(fc.constantFrom(5, 10, 15, 20, 30, 40, 45, 60, 90, 120), fc.integer({ min: 1, max: 300 })),
    nearChange: fc.boolean(),
    pick: fc.nat(),
    randomAnchor: fc.integer({ min: Date.UTC(2025, 0, 5), max: Date.UTC(2027, 11, 20) }),
    beforeMinutes: fc.integer({ min: 0, max: maxWindowHours * 30 }),
    afterMinutes: fc.integer({ min: 1, max: maxWindowHours * 30 }),
    validBefore: fc.integer({ min: 0, max: 10 }),
    validAfter: fc.option(fc.integer({ min: 0, max: 10 })),
  })
  .map((r) => {
    const changes = changesByZone.get(r.zone)!;
    const aroundChange = r.nearChange && changes.length > 0;
    const anchor = aroundChange ? changes[r.pick % changes.length]! : r.randomAnchor;
    const anchorDay = Math.floor(anchor / DAY);
    // Around a change the band is valid from before to after it; elsewhere the bounds fall anywhere.
    const validFrom = aroundChange ? anchorDay - 1 - r.validBefore : anchorDay - r.validBefore + 3;
    const band: BandRule = {
      daysOfWeek: aroundChange && r.everyDay ? [1, 2, 3, 4, 5, 6, 7] : r.days,
      localStart: hhmm(r.start),
      localEnd: r.end === 1440 ? '24:00' : hhmm(r.end),
      slotMinutes: r.slotMinutes,
      validFrom: dateOf(validFrom),
      validUntil: r.validAfter === null ? null : dateOf(aroundChange ? anchorDay + 1 + r.validAfter : validFrom + r.validAfter),
    };
    return { band, zone: r.zone, from: anchor - r.beforeMinutes * MINUTE, until: anchor + r.afterMinutes * MINUTE };
  });

t.test('materialiseBand agrees with the minute-by-minute oracle', async (t) => {
  fc.assert(
    fc.property(bandAndWindow(72), ({ band, zone, from, until }) => {
      const actual = materialiseBand(band, zone, new Date(from), new Date(until)).map((s) => [s.start.getTime(), s.end.getTime()]);
      const expected = oracle(band, zone, from, until);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        throw new Error(`mismatch for ${JSON.stringify({ band, zone, from: new Date(from), until: new Date(until) })}\nactual   ${JSON.stringify(actual)}\nexpected ${JSON.stringify(expected)}`);
      }
    }),
    { numRuns: 150 },
  );
  t.pass('150 random bands, zones and windows, half of them around a clock change');
});

t.test('slots are sorted, disjoint, exactly slotMinutes long and inside the band window', async (t) => {
  fc.assert(
    fc.property(bandAndWindow(24 * 21), ({ band, zone, from, until }) => {
      const slots = materialiseBand(band, zone, new Date(from), new Date(until));
      const [windowStart, windowEnd] = windowOf(band);
      let previousEnd = -Infinity;
      for (const { start, end } of slots) {
        const s = start.getTime();
        if (end.getTime() - s !== band.slotMinutes * MINUTE) throw new Error(`slot of ${(end.getTime() - s) / MINUTE} min`);
        if (s < previousEnd) throw new Error('slots overlap or are out of order');
        if (s < from || s >= until) throw new Error('slot starts outside [from, until)');
        previousEnd = end.getTime();
        // The slot's local start, seen from the day its window opened, sits on the band's grid.
        const wall = wallClock(zone, s);
        const wallDay = Math.floor(wall / DAY);
        const minute = (wall - wallDay * DAY) / MINUTE;
        const placements = [0, 1].map((back) => ({ day: wallDay - back, minute: minute + back * 1440 }));
        const ok = placements.some((p) => opensOn(band, p.day) && p.minute >= windowStart
          && p.minute + band.slotMinutes <= windowEnd && (p.minute - windowStart) % band.slotMinutes === 0);
        if (!ok) throw new Error(`slot at local ${new Date(wall).toISOString()} is outside the band window`);
      }
    }),
    { numRuns: 300 },
  );
  t.pass('300 random bands over windows up to three weeks');
});
