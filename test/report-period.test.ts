// Reporting periods are whole local days: a Paris day across a DST change
// lasts 23 or 25 hours, weeks are ISO weeks, months calendar months.
import t from 'tap';
import { isPeriodProblem, resolvePeriod, type ReportPeriod } from '../src/core/time/report-period.js';

const PARIS = 'Europe/Paris';
const NOW = Date.parse('2026-12-01T10:00:00Z');

function period(request: Parameters<typeof resolvePeriod>[0], zone = PARIS, now = NOW): ReportPeriod {
  const p = resolvePeriod(request, zone, now);
  if (isPeriodProblem(p)) throw new Error(`${p.field}: ${p.message}`);
  return p;
}
const hours = (p: ReportPeriod) => (p.end.getTime() - p.start.getTime()) / 3_600_000;

t.test('a day is local midnight to local midnight', async (t) => {
  const fallBack = period({ kind: 'day', from: '2026-10-25' });
  t.same([fallBack.firstDay, fallBack.lastDay], ['2026-10-25', '2026-10-25']);
  t.equal(fallBack.start.toISOString(), '2026-10-24T22:00:00.000Z', 'midnight CEST');
  t.equal(fallBack.end.toISOString(), '2026-10-25T23:00:00.000Z', 'next midnight CET');
  t.equal(hours(fallBack), 25);
  t.equal(hours(period({ kind: 'day', from: '2026-03-29' })), 23, 'spring forward');
  t.equal(hours(period({ kind: 'day', from: '2026-10-24' })), 24);
  const reunion = period({ kind: 'day', from: '2026-10-25' }, 'Indian/Reunion');
  t.equal(reunion.start.toISOString(), '2026-10-24T20:00:00.000Z', 'Réunion is UTC+4, no DST');
  t.equal(hours(reunion), 24);
});

t.test('the default day is today in the zone, not in UTC', async (t) => {
  // 22:30Z on 24 October is 00:30 on the 25th in Paris.
  t.equal(period({ kind: 'day' }, PARIS, Date.parse('2026-10-24T22:30:00Z')).firstDay, '2026-10-25');
  t.equal(period({ kind: 'day' }, 'UTC', Date.parse('2026-10-24T22:30:00Z')).firstDay, '2026-10-24');
});

t.test('weeks are ISO weeks, months calendar months', async (t) => {
  const sunday = period({ kind: 'week', from: '2026-10-25' });
  t.same([sunday.firstDay, sunday.lastDay], ['2026-10-19', '2026-10-25'], 'a Sunday ends its week');
  t.equal(hours(sunday), 169);
  const wednesday = period({ kind: 'week', from: '2026-10-28' });
  t.same([wednesday.firstDay, wednesday.lastDay], ['2026-10-26', '2026-11-01']);
  const october = period({ kind: 'month', from: '2026-10-15' });
  t.same([october.firstDay, october.lastDay], ['2026-10-01', '2026-10-31']);
  t.equal(october.start.toISOString(), '2026-09-30T22:00:00.000Z');
  t.equal(october.end.toISOString(), '2026-10-31T23:00:00.000Z');
  t.equal(hours(october), 745);
  const february = period({ kind: 'month', from: '2028-02-10' });
  t.same([february.firstDay, february.lastDay], ['2028-02-01', '2028-02-29'], 'leap year');
  const year = period({ kind: 'custom', from: '2026-01-01', to: '2026-12-31' });
  t.equal(hours(year), 365 * 24, 'a year: the lost and the gained hour cancel out');
});

t.test('what is wrong with a request names the parameter', async (t) => {
  const problem = (request: Parameters<typeof resolvePeriod>[0]) => resolvePeriod(request, PARIS, NOW);
  t.match(problem({ kind: 'custom', from: '2026-10-01' }), { field: 'to' });
  t.match(problem({ kind: 'custom', to: '2026-10-01' }), { field: 'from' });
  t.match(problem({ kind: 'custom', from: '2026-10-02', to: '2026-10-01' }), { field: 'to', message: /not before/ });
  t.match(problem({ kind: 'custom', from: '2026-01-01', to: '2027-01-02' }), { field: 'to', message: /366/ });
  t.match(problem({ kind: 'day', from: '2026-02-30' }), { field: 'from' });
  t.match(problem({ kind: 'day', from: '2026-10-01', to: '2026-10-02' }), { field: 'to', message: /custom/ });
  t.notOk(isPeriodProblem(problem({ kind: 'custom', from: '2028-01-01', to: '2028-12-31' })), '366 days is allowed');
});
