// GET /fhir/Schedule?actor=Practitioner/<id>[,…] (SAS-GestionnaireAgenda-CPTS:
// Schedule search by SearchSchedule-actor, "praticien dans ce cas"). The ids
// are our Practitioner ids, as the Slot search and Practitioner search give
// them. Same issue shape as the other searches.

import { MAX_PRACTITIONERS_PER_SEARCH } from './constants.js';
import { isFhirId } from './ids.js';
import { acceptedParameters, FORMAT_PARAMETER, type SearchParameterDeclaration } from './search-declaration.js';
import { splitOrList, supportedParameters, type RawQuery, type SearchParseResult } from './search-params.js';

export interface ScheduleSearch {
  /** Distinct Practitioner ids, in request order. */
  practitionerIds: string[];
}

/** Every parameter the Schedule search accepts, and how the CapabilityStatement declares it. */
export const SCHEDULE_SEARCH_DECLARATIONS: readonly SearchParameterDeclaration[] = [
  {
    query: 'actor',
    declaredAs: 'searchParam',
    searchParam: {
      name: 'actor',
      definition: 'http://hl7.org/fhir/SearchParameter/Schedule-actor',
      type: 'reference',
      documentation: `Practitioner/<id> (or the bare id), comma-separated for several (at most ${MAX_PRACTITIONERS_PER_SEARCH}): `
        + 'the Schedules of those practitioners, one per site.',
    },
  },
  FORMAT_PARAMETER,
];

const SUPPORTED = acceptedParameters(SCHEDULE_SEARCH_DECLARATIONS);

/** "Practitioner/<id>", an absolute URL ending so, or the bare id. */
function practitionerIdOf(reference: string): { id: string } | { error: string } {
  const parts = reference.split('/');
  const id = parts.at(-1);
  const type = parts.at(-2);
  if (type !== undefined && type !== 'Practitioner') return { error: `only Practitioner actors are searchable (got ${JSON.stringify(type)})` };
  if (id === undefined || !isFhirId(id)) return { error: `${JSON.stringify(reference)} is not a Practitioner reference` };
  return { id };
}

export function parseScheduleSearchParams(query: RawQuery): SearchParseResult<ScheduleSearch> {
  const { params, issues } = supportedParameters(query, SUPPORTED);
  const practitionerIds: string[] = [];
  const values = params.get('actor') ?? [];
  if (values.length !== 1) {
    issues.push({
      parameter: 'actor',
      code: values.length === 0 ? 'required' : 'invalid',
      message: values.length === 0 ? 'actor is required' : 'give all actors once, comma-separated',
    });
  } else {
    const tokens = splitOrList(values[0] ?? '');
    if (tokens.length > MAX_PRACTITIONERS_PER_SEARCH) {
      issues.push({ parameter: 'actor', code: 'too-costly', message: `at most ${MAX_PRACTITIONERS_PER_SEARCH} actors` });
    } else {
      for (const token of tokens) {
        const parsed = practitionerIdOf(token);
        if ('error' in parsed) issues.push({ parameter: 'actor', code: 'invalid', message: parsed.error });
        else if (!practitionerIds.includes(parsed.id)) practitionerIds.push(parsed.id);
      }
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { practitionerIds } };
}
