// Shared pieces of FHIR query parsing (FHIR R4 search.html): splitting the raw
// query into ordered (name, value) pairs, token values "system|code", and the
// structured error every bad parameter becomes (a 400 OperationOutcome).

import { isValidRpps } from '../../core/rpps.js';
import { SYSTEM } from './constants.js';
import { operationOutcome } from './operation-outcome.js';
import type { IssueCode, OperationOutcome } from './types.js';
import { CONTROL_CHARACTER_MESSAGE, hasControlCharacter } from '../../core/text.js';

export interface SearchParamIssue {
  /** The query parameter at fault, exactly as the client spelled it. */
  parameter: string;
  code: Extract<IssueCode, 'invalid' | 'required' | 'value' | 'not-supported' | 'too-costly'>;
  message: string;
}

export type SearchParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; issues: SearchParamIssue[] };

/**
 * A query as a route may have it. Prefer the raw string (request.raw.url after
 * "?"): parsers such as Node's querystring turn the unencoded "+" of an offset
 * ("start=ge2024-06-12T16:20:00.000+02:00", as the SAS sends it) into a space.
 * The date parser tolerates that space, so parsed records work too.
 */
export type RawQuery =
  | string
  | URLSearchParams
  | Readonly<Record<string, string | readonly string[] | undefined>>;

export function queryEntries(query: RawQuery): { entries: Array<[string, string]>; issues: SearchParamIssue[] } {
  const entries: Array<[string, string]> = [];
  const issues: SearchParamIssue[] = [];
  if (typeof query === 'string') {
    const text = query.startsWith('?') ? query.slice(1) : query;
    for (const segment of text.split('&')) {
      if (segment === '') continue;
      const eq = segment.indexOf('=');
      const rawName = eq < 0 ? segment : segment.slice(0, eq);
      const rawValue = eq < 0 ? '' : segment.slice(eq + 1);
      try {
        // decodeURIComponent keeps "+" as is: an offset sign, not a space.
        entries.push([decodeURIComponent(rawName), decodeURIComponent(rawValue)]);
      } catch {
        issues.push({ parameter: rawName, code: 'invalid', message: 'malformed percent-encoding' });
      }
    }
  } else if (query instanceof URLSearchParams) {
    for (const [name, value] of query) entries.push([name, value]);
  } else {
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (typeof value === 'string') entries.push([name, value]);
      else for (const v of value) entries.push([name, v]);
    }
  }
  // The one text rule (src/core/text.ts): a control character in a search is refused, naming its parameter.
  const clean = entries.filter(([name, value]) => {
    if (!hasControlCharacter(name) && !hasControlCharacter(value)) return true;
    issues.push({ parameter: hasControlCharacter(name) ? JSON.stringify(name).slice(1, -1) : name, code: 'invalid', message: CONTROL_CHARACTER_MESSAGE });
    return false;
  });
  return { entries: clean, issues };
}

/** Groups values by parameter name, keeping the order of appearance. */
export function groupByName(entries: ReadonlyArray<readonly [string, string]>): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const [name, value] of entries) {
    const values = byName.get(name);
    if (values) values.push(value);
    else byName.set(name, [value]);
  }
  return byName;
}

/** Splits a token list "a,b,c" (FHIR OR); "\," is an escaped comma. */
export function splitOrList(value: string): string[] {
  return value.split(/(?<!\\),/).map((v) => v.replaceAll('\\,', ',').trim());
}

/**
 * An identifier that is well-formed (IDNPS system, "8" + 11 digits) but can
 * name nobody, such as the certification kit's own 810001288385 whose RPPS
 * fails its check digit. Be liberal in what you accept: it matches nothing
 * (a 200 with an empty searchset), and the Bundle's outcome entry says why.
 */
export interface UnmatchableIdentifier {
  parameter: string;
  value: string;
  message: string;
}

/**
 * An IDNPS token as the SAS sends it, "urn:oid:1.2.250.1.71.4.2.1|8<RPPS>",
 * or the bare value. Only RPPS-based IDNPS ("8" + a valid RPPS) can name one
 * of our professionals; a well-formed one with a bad check digit names nobody.
 */
export function rppsOfIdnpsToken(token: string): { rpps: string } | { nobody: string } | { error: string } {
  const bar = token.indexOf('|');
  const system = bar < 0 ? undefined : token.slice(0, bar);
  const value = bar < 0 ? token : token.slice(bar + 1);
  if (system !== undefined && system !== SYSTEM.idnps) {
    return { error: `identifier system must be ${SYSTEM.idnps}, got ${JSON.stringify(system)}` };
  }
  if (!/^8\d{11}$/.test(value)) {
    return { error: `identifier ${JSON.stringify(value)} is not an RPPS-based IDNPS ("8" + 11-digit RPPS)` };
  }
  const rpps = value.slice(1);
  if (!isValidRpps(rpps)) return { nobody: `identifier ${JSON.stringify(value)}: RPPS ${rpps} fails its check digit, so no professional has it` };
  return { rpps };
}

/**
 * The searchset's outcome entry (R4 search.mode "outcome") when some
 * identifiers could match nobody; undefined when all could.
 */
export function unmatchableOutcome(unmatchable: readonly UnmatchableIdentifier[]): OperationOutcome | undefined {
  if (unmatchable.length === 0) return undefined;
  return operationOutcome(unmatchable.map((u) => ({
    code: 'not-found', severity: 'warning', parameter: u.parameter, diagnostics: `${u.parameter}: ${u.message}`,
  })));
}

export const FORMAT_VALUES: ReadonlySet<string> = new Set([
  'json', 'application/json', 'application/fhir+json', 'application/json+fhir',
]);

/** Checks a _format value; we only speak JSON. */
export function formatIssue(values: readonly string[]): SearchParamIssue | undefined {
  if (values.length > 1) return { parameter: '_format', code: 'invalid', message: '_format may appear once' };
  const value = values[0] ?? '';
  return FORMAT_VALUES.has(value.replaceAll(' ', '+'))
    ? undefined
    : { parameter: '_format', code: 'not-supported', message: `only JSON is served (got ${JSON.stringify(value)})` };
}

export function searchIssuesOutcome(issues: readonly SearchParamIssue[]): OperationOutcome {
  return operationOutcome(issues.map((i) => ({
    code: i.code,
    parameter: i.parameter,
    diagnostics: `${i.parameter}: ${i.message}`,
  })));
}

/**
 * The common start of a search: the query grouped by parameter name, with an
 * issue for each name not in `supported` and for a `_format` we do not serve.
 */
export function supportedParameters(query: RawQuery, supported: readonly string[]): { params: Map<string, string[]>; issues: SearchParamIssue[] } {
  const { entries, issues } = queryEntries(query);
  const params = groupByName(entries);
  for (const name of params.keys()) {
    if (!supported.includes(name)) {
      issues.push({ parameter: name, code: 'not-supported', message: `unknown search parameter (supported: ${supported.join(', ')})` });
    }
  }
  const formats = params.get('_format');
  const problem = formats ? formatIssue(formats) : undefined;
  if (problem) issues.push(problem);
  return { params, issues };
}
