// What each FHIR search accepts is what our CapabilityStatement declares, and
// the reverse (issue 13): probed through the parsers themselves, so a parameter
// accepted but not declared, or declared but refused, fails here.
import t from 'tap';
import { parseAppointmentConditionalQuery } from '../src/sas/resources/appointment-query.js';
import { buildCapabilityStatement } from '../src/sas/resources/capability-statement.js';
import { parsePractitionerSearchParams } from '../src/sas/resources/practitioner-search-params.js';
import { parseScheduleSearchParams } from '../src/sas/resources/schedule-search-params.js';
import type { SearchParamIssue, SearchParseResult } from '../src/sas/resources/search-params.js';
import { parseSlotSearchParams, PRACTITIONER_IDENTIFIER_PARAM, SLOT_SEARCH_PARAMS } from '../src/sas/resources/slot-search-params.js';

const IDNPS = 'urn:oid:1.2.250.1.71.4.2.1|810002909371';

/** A valid use of each parameter a client may send (a parameter declared without an example fails the test). */
const EXAMPLES: Readonly<Record<string, string>> = {
  start: 'start=ge2024-06-12T08:00:00%2B02:00&start=le2024-06-12T20:00:00%2B02:00',
  [PRACTITIONER_IDENTIFIER_PARAM]: `${PRACTITIONER_IDENTIFIER_PARAM}=${IDNPS}`,
  status: 'status=free',
  _include: '_include=Slot:schedule',
  '_include:iterate': '_include:iterate=Schedule:actor',
  _count: '_count=100',
  _offset: '_offset=100',
  _format: '_format=application/fhir+json',
  identifier: `identifier=${IDNPS}`,
  actor: 'actor=Practitioner/0b6c3a1e-2f4d-4c5b-9a7e-1d2c3b4a5f60',
};

/** Names a client might try that none of our searches serves. */
const OTHER_NAMES = [
  '_id', '_lastUpdated', '_tag', '_profile', '_security', '_text', '_content', '_list', '_has', '_type', '_sort', '_revinclude',
  '_summary', '_total', '_elements', '_contained', '_containedType', '_pretty', 'identifier', 'schedule', 'schedule.actor',
  'service-type', 'service-category', 'specialty', 'appointment-type', 'start:missing', 'status:not', 'name', 'family', 'given',
  'active', 'date', 'actor', 'patient', 'practitioner', 'slot', 'foo',
];

interface Searched { resource: string; parse: (query: string) => SearchParseResult<unknown>; aliases?: Readonly<Record<string, string>> }

const SEARCHES: Searched[] = [
  { resource: 'Slot', parse: (q) => parseSlotSearchParams(q) },
  { resource: 'Practitioner', parse: (q) => parsePractitionerSearchParams(q) },
  { resource: 'Schedule', parse: (q) => parseScheduleSearchParams(q) },
  // The IG writes the criterion "Identifier=[ID]"; the parser reads it as identifier.
  { resource: 'Appointment', parse: (q) => parseAppointmentConditionalQuery(q), aliases: { Identifier: 'identifier' } },
];

const statement = buildCapabilityStatement({ baseUrl: 'https://cpts.example/fhir', softwareName: 'snp-match', softwareVersion: '0', date: '2026-12-01' }) as any;
const resources: any[] = statement.rest[0].resource;

/** The query names a statement's resource lets a client send (a chained parameter: its first link). */
function declaredNames(resource: any): Set<string> {
  const names = new Set<string>((resource?.searchParam ?? []).map((p: any) => p.name as string));
  if ((resource?.searchInclude ?? []).length > 0) { names.add('_include'); names.add('_include:iterate'); }
  if ((statement.format ?? []).length > 0) names.add('_format');
  return names;
}

/** The declaration a query name falls under: its own, or that of its chain's first link. */
const declarationOf = (names: ReadonlySet<string>, query: string): string | undefined =>
  names.has(query) ? query : [...names].find((d) => query.startsWith(`${d}.`));

const issuesNaming = (result: SearchParseResult<unknown>, name: string): SearchParamIssue[] =>
  result.ok ? [] : result.issues.filter((i) => i.parameter === name);

const candidates = [...new Set([...Object.keys(EXAMPLES), ...OTHER_NAMES, ...SLOT_SEARCH_PARAMS])];

for (const search of SEARCHES) {
  t.test(`${search.resource}: the parameters accepted are exactly those declared`, async (t) => {
    const names = declaredNames(resources.find((r) => r.type === search.resource));
    t.ok(names.size > 0, `the statement declares ${search.resource} search parameters`);
    const accepted = new Set<string>();
    for (const name of [...candidates, ...Object.keys(search.aliases ?? {})]) {
      const refused = search.parse(EXAMPLES[name] ?? `${name}=x`);
      if (!refused.ok && refused.issues.some((i) => i.parameter === name && i.code === 'not-supported')) continue;
      accepted.add(search.aliases?.[name] ?? name);
    }
    for (const name of accepted) t.ok(declarationOf(names, name), `${name} is accepted, so declared`);
    for (const declared of names) {
      t.ok([...accepted].some((a) => declarationOf(names, a) === declared), `${declared} is declared, so accepted`);
    }
    // Each accepted form, used as the statement documents it, raises no issue of its own.
    for (const name of accepted) {
      const example = EXAMPLES[name];
      t.ok(example, `an example of ${name} (add one to EXAMPLES)`);
      if (example !== undefined) t.same(issuesNaming(search.parse(example), name), [], `${example} is accepted`);
    }
  });
}
