import t from 'tap';
import { type BandRule, formatLocalIso, materialiseBand } from '../src/core/time/index.js';

const everyDay = [1, 2, 3, 4, 5, 6, 7];
const afternoon: BandRule = { daysOfWeek: everyDay, localStart: '14:00', localEnd: '20:00', slotMinutes: 20, validFrom: '2026-01-01', validUntil: null };

/** Slots whose start lies in one UTC day (enough margin for every zone we test). */
function slotsOn(band: BandRule, zone: string, utcDay: string) {
  return materialiseBand(band, zone, new Date(`${utcDay}T00:00:00Z`), new Date(`${utcDay}T23:59:59Z`));
}
const iso = (d: Date) => d.toISOString();
const local = (d: Date, zone: string) => formatLocalIso(d, zone).slice(11, 16);

t.test('Europe/Paris keeps 14:00–20:00 local across both 2026 DST changes', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['2026-03-28', '2026-03-28T13:00:00.000Z', '2026-03-28T19:00:00.000Z'], // last winter day (UTC+1)
    ['2026-03-29', '2026-03-29T12:00:00.000Z', '2026-03-29T18:00:00.000Z'], // spring forward at 02:00
    ['2026-03-30', '2026-03-30T12:00:00.000Z', '2026-03-30T18:00:00.000Z'],
    ['2026-10-24', '2026-10-24T12:00:00.000Z', '2026-10-24T18:00:00.000Z'],
    ['2026-10-25', '2026-10-25T13:00:00.000Z', '2026-10-25T19:00:00.000Z'], // fall back at 03:00
    ['2026-10-26', '2026-10-26T13:00:00.000Z', '2026-10-26T19:00:00.000Z'],
  ];
  for (const [day, firstStart, lastEnd] of cases) {
    const slots = slotsOn(afternoon, 'Europe/Paris', day);
    t.equal(slots.length, 18, `${day}: 6 hours of 20-minute slots`);
    t.equal(iso(slots[0]!.start), firstStart, `${day}: first slot at 14:00 local`);
    t.equal(iso(slots.at(-1)!.end), lastEnd, `${day}: last slot ends 20:00 local`);
    t.equal(local(slots[0]!.start, 'Europe/Paris'), '14:00');
    t.equal(local(slots.at(-1)!.end, 'Europe/Paris'), '20:00');
  }
  t.equal(formatLocalIso(slotsOn(afternoon, 'Europe/Paris', '2026-03-29')[0]!.start, 'Europe/Paris'), '2026-03-29T14:00:00.000+02:00');
  t.equal(formatLocalIso(slotsOn(afternoon, 'Europe/Paris', '2026-03-28')[0]!.start, 'Europe/Paris'), '2026-03-28T14:00:00.000+01:00');
});

t.test('overseas zones without DST keep a fixed offset all year', async (t) => {
  const zones: Array<[string, string, string]> = [
    ['Indian/Reunion', 'T10:00:00.000Z', '+04:00'],
    ['America/Martinique', 'T18:00:00.000Z', '-04:00'],
    ['America/Guadeloupe', 'T18:00:00.000Z', '-04:00'],
    ['America/Cayenne', 'T17:00:00.000Z', '-03:00'],
  ];
  for (const [zone, utcTime, offset] of zones) {
    for (const day of ['2026-01-15', '2026-03-29', '2026-07-15', '2026-10-25']) {
      const slots = slotsOn(afternoon, zone, day);
      t.equal(slots.length, 18, `${zone} ${day}: 18 slots`);
      t.equal(iso(slots[0]!.start), `${day}${utcTime}`, `${zone} ${day}: 14:00 local`);
      t.equal(formatLocalIso(slots[0]!.start, zone), `${day}T14:00:00.000${offset}`);
      t.equal(local(slots.at(-1)!.end, zone), '20:00');
    }
  }
});

t.test('every slot lasts slotMinutes and a partial last slot is dropped', async (t) => {
  const slots = slotsOn({ ...afternoon, slotMinutes: 25 }, 'Europe/Paris', '2026-06-10');
  t.equal(slots.length, 14, '360 minutes hold 14 slots of 25');
  t.equal(local(slots.at(-1)!.end, 'Europe/Paris'), '19:50', 'no slot crosses 20:00');
  for (const s of slots) t.equal(s.end.getTime() - s.start.getTime(), 25 * 60_000);
  t.same(slotsOn({ ...afternoon, slotMinutes: 400 }, 'Europe/Paris', '2026-06-10'), [], 'a slot longer than the window yields nothing');
});

t.test('only listed weekdays (ISO: 1 = Monday … 7 = Sunday)', async (t) => {
  const weekdays: BandRule = { ...afternoon, daysOfWeek: [1, 3, 5], slotMinutes: 60 };
  // 2026-03-30 is a Monday.
  const slots = materialiseBand(weekdays, 'Europe/Paris', new Date('2026-03-30T00:00:00+02:00'), new Date('2026-04-06T00:00:00+02:00'));
  const days = [...new Set(slots.map((s) => formatLocalIso(s.start, 'Europe/Paris').slice(0, 10)))];
  t.same(days, ['2026-03-30', '2026-04-01', '2026-04-03'], 'Monday, Wednesday, Friday');
  t.equal(slots.length, 18);
  const sundays = materialiseBand({ ...afternoon, daysOfWeek: [7] }, 'Indian/Reunion', new Date('2026-03-30T00:00:00Z'), new Date('2026-04-13T00:00:00Z'));
  t.same([...new Set(sundays.map((s) => formatLocalIso(s.start, 'Indian/Reunion').slice(0, 10)))], ['2026-04-05', '2026-04-12']);
});

t.test('validity dates are inclusive local dates', async (t) => {
  const band: BandRule = { ...afternoon, slotMinutes: 360, validFrom: '2026-04-01', validUntil: '2026-04-03' };
  const slots = materialiseBand(band, 'America/Cayenne', new Date('2026-03-25T00:00:00Z'), new Date('2026-04-10T00:00:00Z'));
  t.same(slots.map((s) => formatLocalIso(s.start, 'America/Cayenne')), [
    '2026-04-01T14:00:00.000-03:00', '2026-04-02T14:00:00.000-03:00', '2026-04-03T14:00:00.000-03:00',
  ]);
  const openEnded = materialiseBand({ ...band, validUntil: null }, 'America/Cayenne', new Date('2030-01-01T00:00:00Z'), new Date('2030-01-02T00:00:00Z'));
  t.equal(openEnded.length, 1, 'validUntil null never ends');
});

t.test('a night band crosses midnight and belongs to the day it opens', async (t) => {
  const mondayNight: BandRule = { daysOfWeek: [1], localStart: '20:00', localEnd: '02:00', slotMinutes: 30, validFrom: '2026-01-01', validUntil: null };
  const slots = materialiseBand(mondayNight, 'Europe/Paris', new Date('2026-06-01T00:00:00Z'), new Date('2026-06-08T00:00:00Z'));
  t.equal(slots.length, 12);
  t.equal(formatLocalIso(slots[0]!.start, 'Europe/Paris'), '2026-06-01T20:00:00.000+02:00', 'Monday 20:00');
  t.equal(formatLocalIso(slots.at(-1)!.end, 'Europe/Paris'), '2026-06-02T02:00:00.000+02:00', 'Tuesday 02:00');
  const untilMidnight = materialiseBand({ ...mondayNight, localEnd: '00:00' }, 'Europe/Paris', new Date('2026-06-01T00:00:00Z'), new Date('2026-06-08T00:00:00Z'));
  t.equal(formatLocalIso(untilMidnight.at(-1)!.end, 'Europe/Paris'), '2026-06-02T00:00:00.000+02:00', "'00:00' ends at midnight");
  const endOfDay = materialiseBand({ ...mondayNight, localEnd: '24:00' }, 'Europe/Paris', new Date('2026-06-01T00:00:00Z'), new Date('2026-06-08T00:00:00Z'));
  t.same(endOfDay, untilMidnight, "'24:00' is the same as '00:00'");
  const fullDay = materialiseBand({ ...mondayNight, localEnd: '20:00', slotMinutes: 60 }, 'Europe/Paris', new Date('2026-06-01T00:00:00Z'), new Date('2026-06-08T00:00:00Z'));
  t.equal(fullDay.length, 24, 'an end equal to the start is a 24-hour window');
  const lastNight = materialiseBand({ ...mondayNight, validUntil: '2026-06-01' }, 'Europe/Paris', new Date('2026-06-01T00:00:00Z'), new Date('2026-06-08T00:00:00Z'));
  t.equal(lastNight.length, 12, 'the night opened on the last valid day runs to its end');
});

t.test('a night band over the spring-forward night skips the missing hour', async (t) => {
  // 29 March 2026, Paris: 02:00 CET jumps to 03:00 CEST (01:00Z).
  const night: BandRule = { daysOfWeek: [6], localStart: '22:00', localEnd: '06:00', slotMinutes: 30, validFrom: '2026-01-01', validUntil: null };
  const slots = materialiseBand(night, 'Europe/Paris', new Date('2026-03-28T12:00:00Z'), new Date('2026-03-29T12:00:00Z'));
  t.equal(slots.length, 14, '16 wall-clock slots less the two inside 02:00–03:00');
  t.same(slots.map((s) => iso(s.start).slice(11, 16)), [
    '21:00', '21:30', '22:00', '22:30', '23:00', '23:30', '00:00', '00:30', // 22:00–02:00 CET
    '01:00', '01:30', '02:00', '02:30', '03:00', '03:30', // 03:00–06:00 CEST
  ]);
  t.equal(iso(slots[7]!.end), '2026-03-29T01:00:00.000Z', 'the 01:30 slot ends at the jump');
  t.equal(iso(slots[8]!.start), '2026-03-29T01:00:00.000Z', 'the 03:00 slot starts right after it');
  t.equal(iso(slots.at(-1)!.end), '2026-03-29T04:00:00.000Z', '06:00 CEST');
  for (const s of slots) t.equal(s.end.getTime() - s.start.getTime(), 30 * 60_000);
});

t.test('a night band over the fall-back night uses the first 02:00–03:00 only', async (t) => {
  // 25 October 2026, Paris: 03:00 CEST falls back to 02:00 CET (01:00Z); 02:00–03:00 happens twice.
  const night: BandRule = { daysOfWeek: [6], localStart: '22:00', localEnd: '06:00', slotMinutes: 30, validFrom: '2026-01-01', validUntil: null };
  const slots = materialiseBand(night, 'Europe/Paris', new Date('2026-10-24T12:00:00Z'), new Date('2026-10-25T12:00:00Z'));
  t.equal(slots.length, 16, 'one slot per wall-clock half hour');
  t.same(slots.map((s) => iso(s.start).slice(11, 16)), [
    '20:00', '20:30', '21:00', '21:30', '22:00', '22:30', '23:00', '23:30', '00:00', '00:30', // 22:00–03:00 CEST (first 02:00–03:00)
    '02:00', '02:30', '03:00', '03:30', '04:00', '04:30', // 03:00–06:00 CET
  ]);
  t.equal(iso(slots[9]!.end), '2026-10-25T01:00:00.000Z', 'the first 02:30 slot ends at the change');
  t.equal(iso(slots[10]!.start), '2026-10-25T02:00:00.000Z', 'the repeated hour (01:00Z–02:00Z) has no slot');
  for (let i = 1; i < slots.length; i++) t.ok(slots[i]!.start >= slots[i - 1]!.end, 'no overlap');

  const straddling = materialiseBand({ ...night, localStart: '01:40', localEnd: '04:20', slotMinutes: 40, daysOfWeek: [7] }, 'Europe/Paris', new Date('2026-10-24T12:00:00Z'), new Date('2026-10-25T12:00:00Z'));
  // 01:40–02:20 and 02:20–03:00 resolve in the first pass; 03:00–03:40 and 03:40–04:20 after it.
  t.same(straddling.map((s) => `${local(s.start, 'Europe/Paris')}-${local(s.end, 'Europe/Paris')}`), ['01:40-02:20', '02:20-02:00', '03:00-03:40', '03:40-04:20']);
  for (const s of straddling) t.equal(s.end.getTime() - s.start.getTime(), 40 * 60_000, 'exactly slotMinutes');
  const longSlots = materialiseBand({ ...night, localStart: '01:00', localEnd: '05:30', slotMinutes: 90, daysOfWeek: [7] }, 'Europe/Paris', new Date('2026-10-24T12:00:00Z'), new Date('2026-10-25T12:00:00Z'));
  t.same(longSlots.map((s) => local(s.start, 'Europe/Paris')), ['01:00', '04:00'], '02:30–04:00 would last 150 minutes: skipped');
});

t.test('only slots starting in [from, until) are returned', async (t) => {
  const zone = 'Indian/Reunion';
  const day = (h: string) => new Date(`2026-05-04T${h}:00+04:00`);
  const starts = (from: Date, until: Date) => materialiseBand({ ...afternoon, slotMinutes: 60 }, zone, from, until).map((s) => local(s.start, zone));
  t.same(starts(day('15:00'), day('17:00')), ['15:00', '16:00'], 'from inclusive, until exclusive');
  t.same(starts(day('15:30'), day('17:30')), ['16:00', '17:00'], 'a slot already started is left out');
  t.same(starts(day('17:00'), day('17:00')), [], 'an empty window');
  t.same(starts(day('18:00'), day('15:00')), [], 'a reversed window');
  const fortnight = materialiseBand(afternoon, zone, new Date('2026-05-01T00:00:00Z'), new Date('2026-05-15T00:00:00Z'));
  t.equal(fortnight.length, 14 * 18, 'a 14-day horizon');
});

t.test('bad input is refused with the offending field named', async (t) => {
  const window: [Date, Date] = [new Date('2026-05-01T00:00:00Z'), new Date('2026-05-02T00:00:00Z')];
  t.throws(() => materialiseBand(afternoon, 'Mars/Olympus', ...window), RangeError);
  t.throws(() => materialiseBand(afternoon, '+02:00', ...window), RangeError, 'raw offsets are not zones');
  t.throws(() => materialiseBand({ ...afternoon, localStart: '25:00' }, 'Europe/Paris', ...window), /localStart/);
  t.throws(() => materialiseBand({ ...afternoon, slotMinutes: 0 }, 'Europe/Paris', ...window), /slotMinutes/);
  t.throws(() => materialiseBand({ ...afternoon, daysOfWeek: [] }, 'Europe/Paris', ...window), /daysOfWeek/);
  t.throws(() => materialiseBand({ ...afternoon, daysOfWeek: [0] }, 'Europe/Paris', ...window), /daysOfWeek/);
  t.throws(() => materialiseBand({ ...afternoon, validFrom: '2026-02-30' }, 'Europe/Paris', ...window), /validFrom/);
  t.throws(() => materialiseBand({ ...afternoon, validUntil: '2025-12-31' }, 'Europe/Paris', ...window), /validUntil/);
  t.throws(() => materialiseBand(afternoon, 'Europe/Paris', new Date('nope'), window[1]), RangeError);
});
