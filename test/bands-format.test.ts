import t from 'tap';
import {
  type BandRule, bandRuleProblems, bandsMayOverlap, canonicalTimeZone, formatApiDateTime, formatLocalIso,
  isValidTimeZone, localDateOf, localOffsetString,
} from '../src/core/time/index.js';

t.test('instants are written with the offset of the territory zone', async (t) => {
  const winter = new Date('2026-03-28T13:00:00Z');
  const summer = new Date('2026-03-29T12:00:00Z');
  t.equal(localOffsetString(winter, 'Europe/Paris'), '+01:00');
  t.equal(localOffsetString(summer, 'Europe/Paris'), '+02:00');
  t.equal(localOffsetString(summer, 'Indian/Reunion'), '+04:00');
  t.equal(localOffsetString(summer, 'America/Martinique'), '-04:00');
  t.equal(localOffsetString(summer, 'America/Cayenne'), '-03:00');
  t.equal(localOffsetString(summer, 'UTC'), '+00:00', 'never Z');
  t.equal(formatLocalIso(summer, 'Europe/Paris'), '2026-03-29T14:00:00.000+02:00', 'FHIR instant');
  t.equal(formatLocalIso(winter, 'Europe/Paris'), '2026-03-28T14:00:00.000+01:00');
  t.equal(formatLocalIso(summer, 'Indian/Reunion'), '2026-03-29T16:00:00.000+04:00');
  t.equal(formatApiDateTime(summer, 'Europe/Paris'), '2026-03-29T14:00:00+02:00', 'API: to the second');
  t.equal(formatApiDateTime(summer, 'America/Guadeloupe'), '2026-03-29T08:00:00-04:00');
  t.equal(new Date(formatApiDateTime(summer, 'Europe/Paris')).getTime(), summer.getTime(), 'round-trips to the same instant');
  t.equal(new Date(formatLocalIso(winter, 'America/Cayenne')).getTime(), winter.getTime());
  t.equal(localDateOf(new Date('2026-03-28T23:30:00Z'), 'Europe/Paris'), '2026-03-29', 'the local date, not the UTC one');
  t.equal(localDateOf(new Date('2026-03-29T02:00:00Z'), 'America/Martinique'), '2026-03-28');
});

t.test('time zones: IANA names only', async (t) => {
  for (const zone of ['Europe/Paris', 'Indian/Reunion', 'Indian/Mayotte', 'America/Martinique', 'America/Guadeloupe', 'America/Cayenne', 'UTC']) {
    t.ok(isValidTimeZone(zone), zone);
  }
  for (const bad of ['', 'Europe/Atlantis', '+01:00', '-0400', 'Europe/Paris; drop table', ' Europe/Paris', 42, null, undefined, 'A'.repeat(100)]) {
    t.notOk(isValidTimeZone(bad), `refuses ${JSON.stringify(bad)}`);
  }
  t.equal(canonicalTimeZone('europe/paris'), 'Europe/Paris');
});

const afternoon: BandRule = { daysOfWeek: [1, 2, 3, 4, 5], localStart: '14:00', localEnd: '20:00', slotMinutes: 20, validFrom: '2026-01-01', validUntil: null };

t.test('band problems name the field', async (t) => {
  t.same(bandRuleProblems(afternoon), []);
  t.match(bandRuleProblems({ ...afternoon, daysOfWeek: [1, 1] }), [/daysOfWeek/]);
  t.match(bandRuleProblems({ ...afternoon, localEnd: '20:60' }), [/localEnd/]);
  t.match(bandRuleProblems({ ...afternoon, localStart: '24:00' }), [/localStart/], '24:00 only ends a window');
  t.match(bandRuleProblems({ ...afternoon, slotMinutes: 12.5 }), [/slotMinutes/]);
  t.match(bandRuleProblems({ ...afternoon, validFrom: '01/01/2026' }), [/validFrom/]);
  t.equal(bandRuleProblems({ ...afternoon, daysOfWeek: [], slotMinutes: -1 }).length, 2, 'every problem at once');
});

t.test('bands of one professional that could overlap are detected', async (t) => {
  const office = { ...afternoon, localEnd: '17:00' };
  const home = { ...afternoon, localStart: '17:00' };
  t.notOk(bandsMayOverlap(office, home), '14–17 and 17–20 touch but do not overlap');
  t.ok(bandsMayOverlap(afternoon, home));
  t.notOk(bandsMayOverlap({ ...afternoon, daysOfWeek: [1, 3, 5] }, { ...afternoon, daysOfWeek: [2, 4, 6] }), 'different days');
  const sundayNight: BandRule = { ...afternoon, daysOfWeek: [7], localStart: '22:00', localEnd: '08:00' };
  t.ok(bandsMayOverlap(sundayNight, { ...afternoon, daysOfWeek: [1], localStart: '07:00', localEnd: '09:00' }), 'a Sunday night runs into Monday morning');
  t.notOk(bandsMayOverlap(sundayNight, { ...afternoon, daysOfWeek: [1], localStart: '08:00', localEnd: '09:00' }));
  t.notOk(bandsMayOverlap({ ...afternoon, validUntil: '2026-03-31' }, { ...afternoon, validFrom: '2026-04-02' }), 'validity periods apart');
  t.ok(bandsMayOverlap({ ...sundayNight, validUntil: '2026-03-29' }, { ...afternoon, daysOfWeek: [1], localStart: '07:00', localEnd: '09:00', validFrom: '2026-03-30' }), 'the last night spills into the next validity period');
});

t.test('the fast formatters agree with date-fns-tz for any instant and zone', async (t) => {
  const { formatInTimeZone } = await import('date-fns-tz');
  const fc = (await import('fast-check')).default;
  const zones = ['Europe/Paris', 'Indian/Reunion', 'America/Martinique', 'America/Cayenne', 'Indian/Mayotte', 'Pacific/Chatham', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe'];
  fc.assert(fc.property(
    fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...zones),
    (ms, zone) => {
      const instant = new Date(Math.floor(ms / 1000) * 1000);
      return formatApiDateTime(instant, zone) === formatInTimeZone(instant, zone, "yyyy-MM-dd'T'HH:mm:ssxxx")
        && formatLocalIso(instant, zone) === formatInTimeZone(instant, zone, "yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
    }), { numRuns: 20_000 });
  // Around both 2026 changes in Paris, second by second across the jump.
  for (const change of [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)]) {
    for (let ms = change - 120_000; ms <= change + 120_000; ms += 1_000) {
      const instant = new Date(ms);
      if (formatApiDateTime(instant, 'Europe/Paris') !== formatInTimeZone(instant, 'Europe/Paris', "yyyy-MM-dd'T'HH:mm:ssxxx")) t.fail(`differs at ${instant.toISOString()}`);
    }
  }
  t.pass('20,000 random instants in 9 zones and every second around both 2026 changes');
});

t.test('offset changes off the quarter hour: St. John\'s changed at 00:01 local time until 2011', async (t) => {
  const { formatInTimeZone } = await import('date-fns-tz');
  // Spring 2002 (03:31 UTC) and autumn 2002 (02:31 UTC), minute by minute from the quarter's first
  // minute, so that the quarter's offset is asked for before the change and again after it.
  for (const change of [Date.UTC(2002, 3, 7, 3, 31), Date.UTC(2002, 9, 27, 2, 31)]) {
    const differing: string[] = [];
    for (let ms = change - 60 * 60_000; ms <= change + 60 * 60_000; ms += 60_000) {
      const expected = formatInTimeZone(new Date(ms), 'America/St_Johns', "yyyy-MM-dd'T'HH:mm:ssxxx");
      if (formatApiDateTime(new Date(ms), 'America/St_Johns') !== expected) differing.push(expected);
    }
    t.same(differing, [], `every minute of the two hours around ${new Date(change).toISOString()}`);
  }
  t.equal(formatApiDateTime(new Date('2002-04-07T03:30:00Z'), 'America/St_Johns'), '2002-04-07T00:00:00-03:30');
  t.equal(formatApiDateTime(new Date('2002-04-07T03:31:00Z'), 'America/St_Johns'), '2002-04-07T01:01:00-02:30', 'the minute after the change');
  t.equal(formatLocalIso(new Date('2002-04-07T03:44:59.999Z'), 'America/St_Johns'), '2002-04-07T01:14:59.999-02:30', 'the quarter\'s last millisecond');
});

t.test('whole-minute instants, written again from the memo, agree with date-fns-tz', async (t) => {
  const { formatInTimeZone } = await import('date-fns-tz');
  const fc = (await import('fast-check')).default;
  const api = (ms: number, zone: string) => formatInTimeZone(new Date(ms), zone, "yyyy-MM-dd'T'HH:mm:ssxxx");
  const fhir = (ms: number, zone: string) => formatInTimeZone(new Date(ms), zone, "yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
  // The memo is direct-mapped on the minute (16,384 entries): a minute and one 16,384
  // minutes later share an entry, so each is written after the other has taken it.
  const sameEntry = 16_384 * 60_000;
  fc.assert(fc.property(
    fc.integer({ min: 15_778_080, max: 36_823_680 }), fc.constantFrom('Europe/Paris', 'America/Cayenne', 'Pacific/Chatham', 'Indian/Reunion'),
    (minute, zone) => {
      for (const ms of [minute * 60_000, minute * 60_000 + sameEntry, minute * 60_000, minute * 60_000 - sameEntry, minute * 60_000]) {
        if (formatApiDateTime(new Date(ms), zone) !== api(ms, zone) || formatLocalIso(new Date(ms), zone) !== fhir(ms, zone)) return false;
      }
      return true;
    }), { numRuns: 5_000 });
  t.pass('5,000 minutes in 4 zones, each written three times around its table entry\'s other tenants');
});

t.test('instants within a second, written again from the memo on the second, agree with date-fns-tz', async (t) => {
  const { formatInTimeZone } = await import('date-fns-tz');
  const fc = (await import('fast-check')).default;
  const api = (ms: number, zone: string) => formatInTimeZone(new Date(ms), zone, "yyyy-MM-dd'T'HH:mm:ssxxx");
  const fhir = (ms: number, zone: string) => formatInTimeZone(new Date(ms), zone, "yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
  // Direct-mapped on the second (251 entries): a second and one 251 seconds later share an entry.
  const sameEntry = 251_000;
  fc.assert(fc.property(
    fc.integer({ min: 946_684_800, max: 2_208_988_800 }), fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 999 }),
    fc.constantFrom('Europe/Paris', 'America/Cayenne', 'Pacific/Chatham', 'Indian/Reunion', 'Pacific/Marquesas'),
    (second, ms, otherMs, zone) => {
      const at = second * 1_000;
      for (const instant of [at + ms, at + otherMs, at + ms + sameEntry, at + otherMs, at - sameEntry + ms, at + ms]) {
        if (formatApiDateTime(new Date(instant), zone) !== api(instant, zone)) return false;
        if (formatLocalIso(new Date(instant), zone) !== fhir(instant, zone)) return false;
      }
      return true;
    }), { numRuns: 3_000 });
  t.pass('3,000 seconds, each written at two of its milliseconds around its table entry\'s other tenants');
});
