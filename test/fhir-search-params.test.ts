// GET /fhir/Slot query parsing as the SAS sends it (IG 1.1.0 "CPTS - Recherche
// des créneaux"), and the Practitioner search by identifier.

import t, { type Test } from 'tap';
import { rppsFromPrefix } from '../src/core/rpps.js';
import { httpStatusOf } from '../src/sas/resources/operation-outcome.js';
import { parsePractitionerSearchParams } from '../src/sas/resources/practitioner-search-params.js';
import { searchIssuesOutcome, type SearchParamIssue } from '../src/sas/resources/search-params.js';
import { parseSlotSearchParams, PRACTITIONER_IDENTIFIER_PARAM, type SlotSearch } from '../src/sas/resources/slot-search-params.js';

const IDNPS = 'urn:oid:1.2.250.1.71.4.2.1';
const INCLUDES = '_include=Slot:schedule&_include:iterate=Schedule:actor&_include=Slot:service-type-reference'
  + '&_include:iterate=HealthcareService:organization';
const rppsList = (n: number): string[] => Array.from({ length: n }, (_, i) => rppsFromPrefix(String(1000000000 + i * 7919)));
const identifiers = (rpps: readonly string[]): string => rpps.map((r) => `${IDNPS}|8${r}`).join(',');

function query(overrides: { start?: string[]; ids?: string; status?: string | null; extra?: string } = {}): string {
  const start = overrides.start ?? ['ge2024-06-12T16:20:00.000+02:00', 'le2024-06-15T16:20:00.000+02:00'];
  const parts = [INCLUDES, ...start.map((s) => `start=${s}`),
    `${PRACTITIONER_IDENTIFIER_PARAM}=${overrides.ids ?? identifiers(rppsList(1))}`];
  if (overrides.status !== null) parts.push(`status=${overrides.status ?? 'free'}`);
  if (overrides.extra) parts.push(overrides.extra);
  return parts.join('&');
}

function ok(t: Test, q: Parameters<typeof parseSlotSearchParams>[0], timeZone?: string): SlotSearch {
  const result = parseSlotSearchParams(q, timeZone ? { timeZone } : {});
  if (!result.ok) {
    t.fail(`unexpected issues: ${JSON.stringify(result.issues)}`);
    throw new Error('parse failed');
  }
  return result.value;
}

function issues(q: Parameters<typeof parseSlotSearchParams>[0]): SearchParamIssue[] {
  const result = parseSlotSearchParams(q);
  return result.ok ? [] : result.issues;
}

t.test('the IG request, verbatim (with its unencoded "+" offsets and "|")', async (t) => {
  const value = ok(t, `${INCLUDES}&start=ge2024-06-12T16:20:00.000+02:00&start=le2024-06-15T16:20:00.000+02:00`
    + `&schedule.actor:Practitioner.identifier=${IDNPS}|810002909371&status=free`);
  t.same(value.rpps, ['10002909371']);
  t.equal(value.from.toISOString(), '2024-06-12T14:20:00.000Z');
  t.equal(value.until.toISOString(), '2024-06-15T14:20:00.000Z');
  t.same(value.includes, ['Slot:schedule', 'Schedule:actor', 'Slot:service-type-reference', 'HealthcareService:organization']);
  t.equal(value.count, undefined);
});

t.test('the IG page\'s second practitioner (810001288385) fails the RPPS check digit: well-formed, it matches nobody', async (t) => {
  const value = ok(t, query({ ids: `${IDNPS}|810002909371,${IDNPS}|810001288385` }));
  t.same(value.rpps, ['10002909371'], 'only the identifier that can name someone is searched');
  t.equal(value.unmatchable.length, 1);
  t.equal(value.unmatchable[0]?.parameter, PRACTITIONER_IDENTIFIER_PARAM);
  t.equal(value.unmatchable[0]?.value, `${IDNPS}|810001288385`);
  t.match(value.unmatchable[0]?.message, /check digit/);
  const practitioners = parsePractitionerSearchParams(`identifier=${IDNPS}|810001288385`);
  t.ok(practitioners.ok, 'the Practitioner search accepts it too');
  if (practitioners.ok) {
    t.same(practitioners.value.rpps, []);
    t.match(practitioners.value.unmatchable[0]?.message, /check digit/);
  }
});

t.test('1, 10 and 25 practitioners are accepted, 26 are not', async (t) => {
  for (const n of [1, 10, 25]) {
    const list = rppsList(n);
    t.same(ok(t, query({ ids: identifiers(list) })).rpps, list, `${n} practitioners`);
  }
  const found = issues(query({ ids: identifiers(rppsList(26)) }));
  t.same(found.map((i) => [i.parameter, i.code]), [[PRACTITIONER_IDENTIFIER_PARAM, 'too-costly']]);
  t.match(found[0]?.message, /at most 25/);
});

t.test('identifier lists: duplicates, encodings, bare values', async (t) => {
  const [a, b] = rppsList(2) as [string, string];
  t.same(ok(t, query({ ids: `${IDNPS}|8${a},${IDNPS}|8${b},${IDNPS}|8${a}` })).rpps, [a, b], 'duplicates collapse');
  t.same(ok(t, query({ ids: `${IDNPS}%7C8${a}%2C${IDNPS}%7C8${b}` })).rpps, [a, b], 'percent-encoded | and ,');
  t.same(ok(t, query({ ids: `${IDNPS}|8${a}, ${IDNPS}|8${b}` })).rpps, [a, b], 'a space after the comma');
  t.same(ok(t, query({ ids: `8${a}` })).rpps, [a], 'a bare IDNPS value');
});

t.test('bad identifiers name the parameter', async (t) => {
  const [good] = rppsList(1) as [string];
  const bad = `${good.slice(0, 10)}${(Number(good[10]) + 1) % 10}`;
  t.match(ok(t, query({ ids: `${IDNPS}|8${bad}` })).unmatchable[0]?.message, /check digit/, 'a bad check digit is no error: it names nobody');
  const cases: Array<[string, RegExp]> = [
    [`urn:oid:1.2.250.1.71.4.2.2|8${good}`, /system must be/],
    [`${IDNPS}|${good}`, /RPPS-based IDNPS/],
    [`${IDNPS}|0123456789`, /RPPS-based IDNPS/],
    [`${IDNPS}|8${good}x`, /RPPS-based IDNPS/],
    [`${IDNPS}|8${good},`, /empty identifier/],
  ];
  for (const [ids, message] of cases) {
    const found = issues(query({ ids }));
    t.equal(found[0]?.parameter, PRACTITIONER_IDENTIFIER_PARAM, ids);
    t.match(found[0]?.message, message, ids);
  }
  t.equal(issues(`${INCLUDES}&start=ge2024-06-12&start=le2024-06-13&status=free`)[0]?.code, 'required', 'missing');
  const twice = query({ extra: `${PRACTITIONER_IDENTIFIER_PARAM}=${identifiers(rppsList(1))}` });
  t.match(issues(twice)[0]?.message, /once, comma-separated/);
});

t.test('dates: offset or not, milliseconds or not', async (t) => {
  const bounds = (ge: string, le: string, timeZone?: string): [string, string] => {
    const v = ok(t, query({ start: [`ge${ge}`, `le${le}`] }), timeZone);
    return [v.from.toISOString(), v.until.toISOString()];
  };
  t.same(bounds('2024-06-12T16:20:00.000+02:00', '2024-06-12T17:20:00.000+02:00'),
    ['2024-06-12T14:20:00.000Z', '2024-06-12T15:20:00.000Z'], 'SAS form: offset and milliseconds');
  t.same(bounds('2024-06-12T16:20:00+02:00', '2024-06-12T17:20:00+02:00'),
    ['2024-06-12T14:20:00.000Z', '2024-06-12T15:20:00.999Z'], 'second precision: le covers the whole second');
  t.same(bounds('2024-06-12T16:20:00.5+02:00', '2024-06-12T17:20:00.5+02:00'),
    ['2024-06-12T14:20:00.500Z', '2024-06-12T15:20:00.599Z'], 'tenth-of-a-second precision');
  t.same(bounds('2021-01-02T10:00:00', '2021-01-06T10:00:00'),
    ['2021-01-02T09:00:00.000Z', '2021-01-06T09:00:00.999Z'], 'no offset (IG PS-indiv example): local time, Paris winter');
  t.same(bounds('2024-06-12T16:20:00.000', '2024-06-12T17:20:00.000'),
    ['2024-06-12T14:20:00.000Z', '2024-06-12T15:20:00.000Z'], 'no offset, milliseconds, Paris summer');
  t.same(bounds('2024-06-12T16:20:00', '2024-06-12T17:20:00', 'Indian/Reunion'),
    ['2024-06-12T12:20:00.000Z', '2024-06-12T13:20:00.999Z'], 'no offset, in the territory zone given');
  t.same(bounds('2024-06-12T14:20:00Z', '2024-06-12T15:20Z'),
    ['2024-06-12T14:20:00.000Z', '2024-06-12T15:20:59.999Z'], 'Z, and minute precision');
  t.same(bounds('2024-06-12', '2024-06-13'),
    ['2024-06-11T22:00:00.000Z', '2024-06-13T21:59:59.999Z'], 'whole days in the zone');
  t.same(bounds('2024-03-30', '2024-03-31'),
    ['2024-03-29T23:00:00.000Z', '2024-03-31T21:59:59.999Z'], 'a day ending after the spring DST change');
});

t.test('a "+" decoded into a space by a form parser still reads as an offset', async (t) => {
  const record = {
    start: ['ge2024-06-12T16:20:00.000 02:00', 'le2024-06-12T17:20:00.000 02:00'],
    [PRACTITIONER_IDENTIFIER_PARAM]: `${IDNPS}|810002909371`,
    status: 'free',
    _include: ['Slot:schedule', 'Slot:service-type-reference'],
    '_include:iterate': ['Schedule:actor', 'HealthcareService:organization'],
  };
  const v = ok(t, record);
  t.equal(v.from.toISOString(), '2024-06-12T14:20:00.000Z');
  t.equal(v.includes.length, 4);
  const params = new URLSearchParams(`start=ge2024-06-12T16:20:00.000%2B02:00&start=le2024-06-12T17:20:00.000+02:00`
    + `&${PRACTITIONER_IDENTIFIER_PARAM}=${IDNPS}|810002909371&status=free`);
  t.equal(ok(t, params).until.toISOString(), '2024-06-12T15:20:00.000Z', 'URLSearchParams input');
  t.equal(ok(t, `?${query()}`).rpps.length, 1, 'a leading "?" is fine');
});

t.test('bad dates name start', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['ge2024-02-30T10:00:00+01:00', 'le2024-03-01T10:00:00+01:00'], /no such date/],
    [['ge2024-06-12T24:00:00+02:00', 'le2024-06-13T10:00:00+02:00'], /no such time/],
    [['gt2024-06-12T10:00:00+02:00', 'le2024-06-13T10:00:00+02:00'], /only the comparators ge and le/],
    [['2024-06-12T10:00:00+02:00', 'le2024-06-13T10:00:00+02:00'], /only the comparators ge and le/],
    [['ge2024-06-12T10:00:00.1234+02:00', 'le2024-06-13T10:00:00+02:00'], /millisecond/],
    [['ge12/06/2024', 'le2024-06-13T10:00:00+02:00'], /not a date search value/],
    [['ge2024-06-12T10:00:00+15:00', 'le2024-06-13T10:00:00+02:00'], /offset out of range/],
    [['ge2024-06-12T10:00:00+02:00'], /start=le… is required/],
    [['le2024-06-12T10:00:00+02:00'], /start=ge… is required/],
    [[], /start=ge… is required/],
    [['ge2024-06-12T10:00:00+02:00', 'ge2024-06-12T11:00:00+02:00', 'le2024-06-13T10:00:00+02:00'], /may appear once/],
    [['ge2024-06-13T10:00:00+02:00', 'le2024-06-12T10:00:00+02:00'], /after the le bound/],
  ];
  for (const [start, message] of cases) {
    const found = issues(query({ start }));
    t.equal(found[0]?.parameter, 'start', start.join(' & '));
    t.match(found[0]?.message, message, start.join(' & '));
  }
});

t.test('status, includes, _count, _format and unknown parameters', async (t) => {
  t.same(issues(query({ status: null })).map((i) => [i.parameter, i.code]), [['status', 'required']]);
  t.same(issues(query({ status: 'busy' })).map((i) => [i.parameter, i.code]), [['status', 'not-supported']]);
  t.same(issues(query({ extra: '_include=Slot:start' })).map((i) => i.parameter), ['_include']);
  t.same(issues(query({ extra: '_include:iterate=Practitioner:organization' })).map((i) => i.parameter), ['_include:iterate']);
  t.same(ok(t, query({ extra: '_include:iterate=Slot:schedule' })).includes.length, 4, 'either modifier for a known include');
  t.same(ok(t, `start=ge2024-06-12&start=le2024-06-13&${PRACTITIONER_IDENTIFIER_PARAM}=810002909371&status=free`).includes, [],
    'no include asked, none given');
  t.equal(ok(t, query({ extra: '_count=1000' })).count, 1000, '_count as in the IG self links');
  t.same(issues(query({ extra: '_count=lots' })).map((i) => i.parameter), ['_count']);
  t.equal(ok(t, query({ extra: '_format=application/fhir+json' })).rpps.length, 1);
  t.same(issues(query({ extra: '_format=xml' })).map((i) => [i.parameter, i.code]), [['_format', 'not-supported']]);
  const unknown = issues(query({ extra: 'foo=bar&_sort=start&schedule.actor=Practitioner/1' }));
  t.same(unknown.map((i) => [i.parameter, i.code]),
    [['foo', 'not-supported'], ['_sort', 'not-supported'], ['schedule.actor', 'not-supported']]);
  t.same(issues(query({ extra: 'bad%zz=1' })).map((i) => [i.parameter, i.code]), [['bad%zz', 'invalid']]);
});

t.test('every issue is reported at once, and becomes a 400 OperationOutcome naming the parameter', async (t) => {
  const found = issues('foo=1&start=ge2024-13-01&status=busy');
  t.same(found.map((i) => i.parameter).sort(),
    ['foo', PRACTITIONER_IDENTIFIER_PARAM, 'start', 'status'].sort());
  const outcome = searchIssuesOutcome(found);
  t.equal(outcome.resourceType, 'OperationOutcome');
  t.equal(httpStatusOf(outcome), 400);
  const start = outcome.issue.find((i) => i.location?.[0] === 'http.start');
  t.ok(start, 'issue located at http.start');
  t.equal(start?.severity, 'error');
  t.match(start?.diagnostics, /^start: /);
});

t.test('Practitioner search by identifier', async (t) => {
  const [a, b] = rppsList(2) as [string, string];
  const good = parsePractitionerSearchParams(`identifier=${IDNPS}|8${a},${IDNPS}|8${b}`);
  t.same(good.ok ? good.value.rpps : good.issues, [a, b]);
  const missing = parsePractitionerSearchParams('');
  t.same(missing.ok ? [] : missing.issues.map((i) => [i.parameter, i.code]), [['identifier', 'required']]);
  // A bad check digit names nobody (not an issue, see above); a malformed IDNPS is one.
  const bad = parsePractitionerSearchParams(`identifier=${IDNPS}|8${a.slice(0, 10)}&name=x`);
  t.same(bad.ok ? [] : bad.issues.map((i) => i.parameter).sort(), ['identifier', 'name']);
  const many = parsePractitionerSearchParams(`identifier=${identifiers(rppsList(26))}`);
  t.same(many.ok ? [] : many.issues.map((i) => i.code), ['too-costly']);
});
