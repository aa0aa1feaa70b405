// GET /v1/indicators over real HTTP on a known history across the 2026-10-25
// DST change (test/helpers/indicator-history.ts): every figure of the day is
// checked exactly, JSON and CSV, and the period boundaries are local midnights.
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { buildHistory } from './helpers/indicator-history.js';
import { waitReady } from './helpers/ready.js';
import { http, startTestService } from './helpers/service.js';

const DAY = '/v1/indicators?territory=terr-a&period=day&from=2026-10-25';

// By hand from the history (see its comments).
const EXPECTED_DAY = {
  territory: { id: 'terr-a', name: 'terr-a', timeZone: 'Europe/Paris' },
  period: { kind: 'day', from: '2026-10-25', to: '2026-10-25', start: '2026-10-25T00:00:00+02:00', end: '2026-10-26T00:00:00+01:00', hours: 25 },
  requests: {
    total: 11,
    byOrigin: { regulator: 5, pharmacist: 5, professional: 0, coordinator: 1 },
    byOrientation: { 'call-15': 1, 'pharmacy-protocol': 1, book: 9, none: 0 },
    byOutcome: { candidates: 6, 'no-slot': 1, 'no-eligible-profession': 1, 'out-of-territory': 1, 'call-15': 1, 'pharmacy-protocol': 1 },
  },
  unmatched: { total: 3, byReason: { 'no-slot': 1, 'no-eligible-profession': 1, 'no-eligible-modality': 0, 'out-of-territory': 1 } },
  delays: {
    // R1–R7 and the late one needed a booking; R1, R2, R3, R5 got one after 60,
    // 300, 3000, 1500 minutes (31 days is no answer).
    toBook: 8, booked: 4, bookedWithin48h: 3, bookedWithinMaxDelay: 1,
    shareWithin48h: 0.375, shareWithinMaxDelay: 0.125,
    medianMinutes: 900, p90Minutes: 2550,
  },
  appointments: { total: 6, booked: 1, honoured: 2, noShow: 1, cancelled: 2, cancellationRate: 0.3333, noShowRate: 0.3333 },
  fillRate: [
    { profession: 'gp', bandSlots: 5, bookedSlots: 2, rate: 0.4 },
    { profession: 'nurse', bandSlots: 3, bookedSlots: 3, rate: 1 },
    { profession: 'physio', bandSlots: 2, bookedSlots: 1, rate: 0.5 },
  ],
};

t.test('indicators of a territory and period, JSON and CSV', async (t) => {
  const db = await migratedDatabase(t);
  const { clients } = await buildHistory(db.db);
  const service = await startTestService(t, db.url);
  await waitReady(service);
  const token = clients.coordinator.token;

  const day = await http(service, 'GET', DAY, { token });
  t.equal(day.status, 200, day.text);
  t.same(day.json, EXPECTED_DAY, 'every indicator of the 25-hour day');
  t.strictSame(Object.keys(day.json.requests.byOrigin).sort(), ['coordinator', 'pharmacist', 'professional', 'regulator']);

  t.test('local periods: ISO week, month, custom range', async (t) => {
    const week = (await http(service, 'GET', '/v1/indicators?territory=terr-a&period=week&from=2026-10-21', { token })).json;
    t.match(week.period, { from: '2026-10-19', to: '2026-10-25', start: '2026-10-19T00:00:00+02:00', end: '2026-10-26T00:00:00+01:00', hours: 169 });
    t.equal(week.requests.total, 12, 'the day plus 23:59:59 CEST on the 24th');
    t.equal(week.unmatched.byReason['no-slot'], 2);
    const month = (await http(service, 'GET', '/v1/indicators?territory=terr-a&period=month&from=2026-10-01', { token })).json;
    t.match(month.period, { from: '2026-10-01', to: '2026-10-31', start: '2026-10-01T00:00:00+02:00', end: '2026-11-01T00:00:00+01:00', hours: 745 });
    t.equal(month.requests.total, 13, 'and 00:00 CET on the 26th');
    t.match(month.delays, { toBook: 10, booked: 5, bookedWithin48h: 4 });
    t.equal(month.appointments.total, 9, 'R3 (27th), R5 and R11 (26th) appointments join');
    const custom = (await http(service, 'GET', '/v1/indicators?territory=terr-a&period=custom&from=2026-10-24&to=2026-10-25', { token })).json;
    t.match(custom.period, { from: '2026-10-24', to: '2026-10-25', hours: 49 });
    t.equal(custom.requests.total, 12);
    t.same(custom.fillRate.find((f: { profession: string }) => f.profession === 'physio'), { profession: 'physio', bandSlots: 3, bookedSlots: 2, rate: 0.6667 });
    const empty = (await http(service, 'GET', '/v1/indicators?territory=terr-a&period=day&from=2026-10-10', { token })).json;
    t.match(empty, { requests: { total: 0 }, delays: { toBook: 0, shareWithin48h: null, medianMinutes: null }, appointments: { cancellationRate: null }, fillRate: [] });
  });

  t.test('CSV: BOM, semicolons, decimal commas, one header row, the same figures', async (t) => {
    for (const [how, path, headers] of [['Accept', DAY, { accept: 'text/csv' }], ['format=csv', `${DAY}&format=csv`, {}]] as const) {
      const response = await fetch(service.url + path, { headers: { authorization: `Bearer ${token}`, ...headers } });
      t.equal(response.status, 200, how);
      t.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8');
      t.match(response.headers.get('content-disposition'), /attachment; filename="indicators-terr-a-2026-10-25-2026-10-25\.csv"/);
      const bytes = Buffer.from(await response.arrayBuffer());
      t.same([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
      const text = bytes.subarray(3).toString('utf8');
      t.ok(text.endsWith('\r\n'), 'CRLF line ends');
      const lines = text.slice(0, -2).split('\r\n');
      t.equal(lines[0], 'territory;from;to;indicator;key;value', 'header');
      const rows = lines.slice(1).map((line) => line.split(';'));
      t.ok(rows.every((r) => r.length === 6 && r[0] === 'terr-a' && r[1] === '2026-10-25' && r[2] === '2026-10-25'), 'six fields per row');
      const csv = new Map(rows.map((r) => [`${r[3]}|${r[4]}`, r[5]]));
      // Every JSON figure is in the CSV, decimal comma, null as empty.
      const expected = new Map<string, string>();
      const put = (indicator: string, key: string, value: unknown) => expected.set(`${indicator}|${key}`, value === null ? '' : String(value).replace('.', ','));
      for (const k of ['start', 'end', 'hours'] as const) put(`period.${k}`, '', EXPECTED_DAY.period[k]);
      put('requests.total', '', 11);
      for (const section of ['byOrigin', 'byOrientation', 'byOutcome'] as const) {
        for (const [k, v] of Object.entries(EXPECTED_DAY.requests[section])) put(`requests.${section}`, k, v);
      }
      put('unmatched.total', '', 3);
      for (const [k, v] of Object.entries(EXPECTED_DAY.unmatched.byReason)) put('unmatched.byReason', k, v);
      for (const [k, v] of Object.entries(EXPECTED_DAY.delays)) put(`delays.${k}`, '', v);
      for (const [k, v] of Object.entries(EXPECTED_DAY.appointments)) put(`appointments.${k}`, '', v);
      for (const f of EXPECTED_DAY.fillRate) { put('fillRate.bandSlots', f.profession, f.bandSlots); put('fillRate.bookedSlots', f.profession, f.bookedSlots); put('fillRate.rate', f.profession, f.rate); }
      t.same(Object.fromEntries(csv), Object.fromEntries(expected), 'the CSV holds exactly the JSON figures');
      t.equal(csv.get('delays.shareWithin48h|'), '0,375', 'decimal comma');
      t.equal(rows.length, expected.size, 'no row twice');
    }
    const empty = await http(service, 'GET', '/v1/indicators?territory=terr-a&from=2026-10-10&format=csv', { token });
    t.match(empty.text, /\r\nterr-a;2026-10-10;2026-10-10;delays\.medianMinutes;;\r\n/, 'an undefined figure is an empty cell');
  });

  t.test('coordinators of the territory only; bad parameters name the field', async (t) => {
    t.equal((await http(service, 'GET', DAY, {})).status, 401);
    t.equal((await http(service, 'GET', DAY, { token: clients.regulator.token })).status, 403, 'a regulator cannot');
    const other = await http(service, 'GET', DAY, { token: clients.coordinatorB.token });
    t.equal(other.status, 403, 'a coordinator of another territory cannot');
    t.match(other.json, { type: 'urn:problem:snp-match:forbidden-territory' });
    t.equal((await http(service, 'GET', '/v1/indicators?period=day&from=2026-10-25', { token })).json.territory.id, 'terr-a', 'the only territory by default');
    const own = (await http(service, 'GET', '/v1/indicators?territory=terr-b&period=day&from=2026-10-25', { token: clients.coordinatorB.token })).json;
    t.match(own, { requests: { total: 2, byOutcome: { 'no-slot': 1, 'out-of-territory': 1 } }, unmatched: { total: 2, byReason: { 'out-of-territory': 1 } } }, 'terr-b sees its own, not terr-a\'s');
    for (const [query, field] of [
      ['period=custom&from=2026-10-01', 'querystring.to'],
      ['period=custom&from=2026-10-01&to=2027-12-01', 'querystring.to'],
      ['period=day&from=2026-13-01', 'querystring.from'],
      ['period=day&from=25/10/2026', 'querystring.from'],
      ['period=fortnight', 'querystring.period'],
      ['format=xlsx', 'querystring.format'],
    ] as const) {
      const refused = await http(service, 'GET', `/v1/indicators?territory=terr-a&${query}`, { token });
      t.equal(refused.status, 400, query);
      t.equal(refused.json?.errors?.[0]?.field, field, `${query} names ${field}`);
    }
  });
});
