// GET /fhir/Slot exactly as the SAS platform sends it (IG 1.1.0, "CPTS -
// Recherche des créneaux"; CapabilityStatement SAS-GestionnaireAgenda-CPTS):
//
//   start=ge<dateTime>&start=le<dateTime>                      both required (1..1 each)
//   schedule.actor:Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1|8<RPPS>,…   1..25
//   status=free                                                required
//   _include=Slot:schedule & _include:iterate=Schedule:actor
//   _include=Slot:service-type-reference & _include:iterate=HealthcareService:organization
//
// plus _count (seen in the IG's example self links, e.g. _count=1000) and
// _format. Anything else, or any malformed value, is an issue naming the
// parameter; the route answers 400 with searchIssuesOutcome(issues).

import { z } from 'zod';
import { MAX_PRACTITIONERS_PER_SEARCH, SEARCH_PARAMETER, SLOT_INCLUDES, type SlotInclude } from './constants.js';
import { OFFSET_PARAMETER } from './paging.js';
import { parseDateParam } from './search-date.js';
import { acceptedParameters, FORMAT_PARAMETER, type SearchParameterDeclaration } from './search-declaration.js';
import {
  formatIssue, groupByName, queryEntries, rppsOfIdnpsToken, splitOrList,
  type RawQuery, type SearchParamIssue, type SearchParseResult, type UnmatchableIdentifier,
} from './search-params.js';

export const PRACTITIONER_IDENTIFIER_PARAM = 'schedule.actor:Practitioner.identifier';

/** Every parameter the Slot search accepts, and how the CapabilityStatement declares it. */
export const SLOT_SEARCH_DECLARATIONS: readonly SearchParameterDeclaration[] = [
  {
    query: 'start',
    declaredAs: 'searchParam',
    searchParam: {
      name: 'start',
      definition: SEARCH_PARAMETER.slotStart,
      type: 'date',
      documentation: 'Required, exactly once each: start=ge<dateTime> and start=le<dateTime>, '
        + 'with or without offset (without: the territory\'s local time), up to millisecond precision.',
    },
  },
  {
    query: PRACTITIONER_IDENTIFIER_PARAM,
    declaredAs: 'searchParam',
    searchParam: {
      name: 'schedule',
      definition: 'http://hl7.org/fhir/SearchParameter/Slot-schedule',
      type: 'reference',
      documentation: 'Required, chained as schedule.actor:Practitioner.identifier='
        + `urn:oid:1.2.250.1.71.4.2.1|8<RPPS>, 1 to ${MAX_PRACTITIONERS_PER_SEARCH} comma-separated identifiers (any of them).`,
    },
  },
  {
    query: 'status',
    declaredAs: 'searchParam',
    searchParam: {
      name: 'status',
      definition: 'http://hl7.org/fhir/SearchParameter/Slot-status',
      type: 'token',
      documentation: 'Required; only "free".',
    },
  },
  { query: '_include', declaredAs: 'searchInclude', values: SLOT_INCLUDES },
  { query: '_include:iterate', declaredAs: 'searchInclude', values: SLOT_INCLUDES },
  {
    query: '_count',
    declaredAs: 'searchParam',
    searchParam: {
      name: '_count',
      type: 'number',
      documentation: 'At most this many Slots per page, each page with the includes of its Slots and a next link '
        + 'while more remain (a paged Bundle does not claim sas-cpts-bundle-aggregator, which allows the self link only); '
        + '0: the total alone. Without _count every match is in one page.',
    },
  },
  {
    query: OFFSET_PARAMETER,
    declaredAs: 'searchParam',
    searchParam: {
      name: OFFSET_PARAMETER,
      type: 'number',
      documentation: 'Set by the next and previous links: the number of matches before the page. Follow the links rather than building it.',
    },
  },
  FORMAT_PARAMETER,
];

export const SLOT_SEARCH_PARAMS = acceptedParameters(SLOT_SEARCH_DECLARATIONS);

export interface SlotSearch {
  /** Inclusive bounds on Slot.start, epoch-ms precise (FHIR implicit ranges applied). */
  from: Date;
  until: Date;
  /** 1..25 distinct RPPS numbers, in request order. */
  rpps: string[];
  /** The includes asked for, distinct, in the IG's order (SLOT_INCLUDES). */
  includes: SlotInclude[];
  /** Well-formed identifiers that can name nobody (they match nothing; the Bundle says why). */
  unmatchable: UnmatchableIdentifier[];
  /** _count as sent: the page size. */
  count?: number;
  /** _offset (from a next or previous link): matches before the page; 0 when absent. */
  offset: number;
}

export interface SlotSearchOptions {
  /** Zone of date values sent without an offset; the territory's, metropolitan by default. */
  timeZone?: string;
}

const statusSchema = z.literal('free', { error: 'only status=free is searchable (the SAS only reads free slots)' });
const includeSchema = z.enum(SLOT_INCLUDES, { error: `supported includes are ${SLOT_INCLUDES.join(', ')}` });
const countSchema = z.string().regex(/^\d{1,6}$/, { error: '_count must be a non-negative integer' }).transform(Number);

function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => i.message).join('; ');
}

type Report = (parameter: string, code: SearchParamIssue['code'], message: string) => void;

/** start=ge… and start=le…, each exactly once. */
function readStart(values: readonly string[], timeZone: string, report: Report): { from?: number; until?: number } {
  let from: number | undefined;
  let until: number | undefined;
  let malformed = false;
  for (const value of values) {
    const parsed = parseDateParam(value, timeZone);
    if ('error' in parsed) { report('start', 'invalid', parsed.error); malformed = true; }
    else if ((parsed.prefix === 'ge' ? from : until) !== undefined) {
      report('start', 'invalid', `start=${parsed.prefix}… may appear once`);
      malformed = true;
    } else if (parsed.prefix === 'ge') from = parsed.bound;
    else until = parsed.bound;
  }
  if (!malformed) {
    if (from === undefined) report('start', 'required', 'start=ge… is required');
    if (until === undefined) report('start', 'required', 'start=le… is required');
    if (from !== undefined && until !== undefined && from > until) report('start', 'invalid', 'the ge bound is after the le bound');
  }
  return { from, until };
}

/** One comma-separated list of 1..25 IDNPS tokens; returns distinct RPPS in request order. */
function readPractitioners(values: readonly string[], report: Report, unmatchable: UnmatchableIdentifier[]): string[] {
  const p = PRACTITIONER_IDENTIFIER_PARAM;
  if (values.length === 0) { report(p, 'required', 'at least one practitioner identifier is required'); return []; }
  if (values.length > 1) { report(p, 'invalid', 'give all identifiers once, comma-separated'); return []; }
  const tokens = splitOrList(values[0] ?? '');
  if (tokens.length > MAX_PRACTITIONERS_PER_SEARCH) {
    report(p, 'too-costly', `at most ${MAX_PRACTITIONERS_PER_SEARCH} identifiers per search (got ${tokens.length})`);
    return [];
  }
  const rpps: string[] = [];
  for (const token of tokens) {
    if (token === '') { report(p, 'invalid', 'empty identifier in the list'); continue; }
    const parsed = rppsOfIdnpsToken(token);
    if ('error' in parsed) report(p, 'invalid', parsed.error);
    else if ('nobody' in parsed) unmatchable.push({ parameter: p, value: token, message: parsed.nobody });
    else if (!rpps.includes(parsed.rpps)) rpps.push(parsed.rpps);
  }
  return rpps;
}

function readStatus(values: readonly string[], report: Report): void {
  if (values.length === 0) report('status', 'required', 'status=free is required');
  else if (values.length > 1) report('status', 'invalid', 'status may appear once');
  else {
    const parsed = statusSchema.safeParse(values[0]);
    if (!parsed.success) report('status', 'not-supported', zodMessage(parsed.error));
  }
}

/**
 * _include / _include:iterate. For our fixed graph both forms give the same
 * resources, so either modifier is accepted for any of the four values.
 */
function readIncludes(params: ReadonlyMap<string, string[]>, report: Report): SlotInclude[] {
  const asked = new Set<SlotInclude>();
  for (const name of ['_include', '_include:iterate'] as const) {
    for (const value of params.get(name) ?? []) {
      const parsed = includeSchema.safeParse(value);
      if (parsed.success) asked.add(parsed.data);
      else report(name, 'not-supported', `${JSON.stringify(value)}: ${zodMessage(parsed.error)}`);
    }
  }
  return SLOT_INCLUDES.filter((i) => asked.has(i));
}

/** _count or _offset: once at most, a non-negative integer. */
function readCount(name: string, values: readonly string[], report: Report): number | undefined {
  if (values.length > 1) { report(name, 'invalid', `${name} may appear once`); return undefined; }
  if (values.length === 0) return undefined;
  const parsed = countSchema.safeParse(values[0]);
  if (parsed.success) return parsed.data;
  report(name, 'invalid', zodMessage(parsed.error).replace('_count', name));
  return undefined;
}

export function parseSlotSearchParams(query: RawQuery, options: SlotSearchOptions = {}): SearchParseResult<SlotSearch> {
  const { entries, issues } = queryEntries(query);
  const params = groupByName(entries);
  const report: Report = (parameter, code, message) => { issues.push({ parameter, code, message }); };

  for (const name of params.keys()) {
    if (!SLOT_SEARCH_PARAMS.includes(name)) {
      report(name, 'not-supported', `unknown search parameter (supported: ${SLOT_SEARCH_PARAMS.join(', ')})`);
    }
  }
  const { from, until } = readStart(params.get('start') ?? [], options.timeZone ?? 'Europe/Paris', report);
  const unmatchable: UnmatchableIdentifier[] = [];
  const rpps = readPractitioners(params.get(PRACTITIONER_IDENTIFIER_PARAM) ?? [], report, unmatchable);
  readStatus(params.get('status') ?? [], report);
  const includes = readIncludes(params, report);
  const count = readCount('_count', params.get('_count') ?? [], report);
  const offset = readCount(OFFSET_PARAMETER, params.get(OFFSET_PARAMETER) ?? [], report) ?? 0;
  const formats = params.get('_format');
  const formatProblem = formats ? formatIssue(formats) : undefined;
  if (formatProblem) issues.push(formatProblem);

  if (issues.length > 0 || from === undefined || until === undefined) return { ok: false, issues };
  return {
    ok: true,
    value: { from: new Date(from), until: new Date(until), rpps, includes, unmatchable, offset, ...(count !== undefined ? { count } : {}) },
  };
}
