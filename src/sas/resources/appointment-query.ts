// Criterion of the conditional update PUT /fhir/Appointment?identifier=<system>|<value>
// (FHIR R4 http.html#cond-update; IG 1.1.0 "Gestion de rendez-vous").

import { acceptedParameters, FORMAT_PARAMETER, type SearchParameterDeclaration } from './search-declaration.js';
import {
  formatIssue, groupByName, queryEntries, type RawQuery, type SearchParseResult,
} from './search-params.js';

/** The parameters the conditional update accepts, and how the CapabilityStatement declares them. */
export const APPOINTMENT_CRITERION_DECLARATIONS: readonly SearchParameterDeclaration[] = [
  {
    query: 'identifier',
    declaredAs: 'searchParam',
    searchParam: {
      name: 'identifier',
      definition: 'http://hl7.org/fhir/SearchParameter/Appointment-identifier',
      type: 'token',
      documentation: 'Criterion of the conditional update: PUT /Appointment?identifier=<system>|<value>.',
    },
  },
  FORMAT_PARAMETER,
];

const SUPPORTED = acceptedParameters(APPOINTMENT_CRITERION_DECLARATIONS);

export interface AppointmentCriterion {
  system?: string;
  value: string;
}

/**
 * The IG writes the criterion "Identifier=[ID]"; FHIR names it "identifier".
 * Both spellings are accepted.
 */
export function parseAppointmentConditionalQuery(query: RawQuery): SearchParseResult<AppointmentCriterion> {
  const { entries, issues } = queryEntries(query);
  const params = groupByName(entries.map(([k, v]) => [k === 'Identifier' ? 'identifier' : k, v] as [string, string]));
  for (const name of params.keys()) {
    if (!SUPPORTED.includes(name)) {
      issues.push({ parameter: name, code: 'not-supported', message: 'only identifier (and _format) may select the appointment' });
    }
  }
  const formats = params.get('_format');
  if (formats) {
    const problem = formatIssue(formats);
    if (problem) issues.push(problem);
  }
  const values = params.get('identifier') ?? [];
  const token = values[0] ?? '';
  const bar = token.indexOf('|');
  const criterion: AppointmentCriterion = bar < 0
    ? { value: token }
    : { ...(bar > 0 ? { system: token.slice(0, bar) } : {}), value: token.slice(bar + 1) };
  if (values.length !== 1 || criterion.value === '' || token.includes(',')) {
    issues.push({ parameter: 'identifier', code: values.length === 0 ? 'required' : 'invalid', message: 'exactly one identifier, as <system>|<value>' });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: criterion };
}

/** Whether the body's identifier is the one the conditional update selects. */
export function criterionMatches(criterion: AppointmentCriterion, identifier: { system: string; value: string }): boolean {
  return criterion.value === identifier.value && (criterion.system === undefined || criterion.system === identifier.system);
}
