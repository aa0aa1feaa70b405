// GET /fhir/Practitioner?identifier=urn:oid:1.2.250.1.71.4.2.1|8<RPPS>[,…]
// (SAS-GestionnaireAgenda-CPTS: Practitioner search by Practitioner-identifier,
// "RPPS dans ce cas"). Same token rules and issue shape as the Slot search.

import { MAX_PRACTITIONERS_PER_SEARCH } from './constants.js';
import { acceptedParameters, FORMAT_PARAMETER, type SearchParameterDeclaration } from './search-declaration.js';
import {
  rppsOfIdnpsToken, splitOrList, supportedParameters,
  type RawQuery, type SearchParseResult, type UnmatchableIdentifier,
} from './search-params.js';

export interface PractitionerSearch {
  /** Distinct RPPS numbers, in request order. */
  rpps: string[];
  /** Well-formed identifiers that can name nobody (they match nothing; the Bundle says why). */
  unmatchable: UnmatchableIdentifier[];
}

/** Every parameter the Practitioner search accepts, and how the CapabilityStatement declares it. */
export const PRACTITIONER_SEARCH_DECLARATIONS: readonly SearchParameterDeclaration[] = [
  {
    query: 'identifier',
    declaredAs: 'searchParam',
    searchParam: {
      name: 'identifier',
      definition: 'http://hl7.org/fhir/SearchParameter/Practitioner-identifier',
      type: 'token',
      documentation: `urn:oid:1.2.250.1.71.4.2.1|8<RPPS>, comma-separated for several (at most ${MAX_PRACTITIONERS_PER_SEARCH}).`,
    },
  },
  FORMAT_PARAMETER,
];

const SUPPORTED = acceptedParameters(PRACTITIONER_SEARCH_DECLARATIONS);

export function parsePractitionerSearchParams(query: RawQuery): SearchParseResult<PractitionerSearch> {
  const { params, issues } = supportedParameters(query, SUPPORTED);

  const rpps: string[] = [];
  const unmatchable: UnmatchableIdentifier[] = [];
  const values = params.get('identifier') ?? [];
  if (values.length !== 1) {
    issues.push({
      parameter: 'identifier',
      code: values.length === 0 ? 'required' : 'invalid',
      message: values.length === 0 ? 'identifier is required' : 'give all identifiers once, comma-separated',
    });
  } else {
    const tokens = splitOrList(values[0] ?? '');
    if (tokens.length > MAX_PRACTITIONERS_PER_SEARCH) {
      issues.push({ parameter: 'identifier', code: 'too-costly', message: `at most ${MAX_PRACTITIONERS_PER_SEARCH} identifiers` });
    } else {
      for (const token of tokens) {
        const parsed = rppsOfIdnpsToken(token);
        if ('error' in parsed) issues.push({ parameter: 'identifier', code: 'invalid', message: parsed.error });
        else if ('nobody' in parsed) unmatchable.push({ parameter: 'identifier', value: token, message: parsed.nobody });
        else if (!rpps.includes(parsed.rpps)) rpps.push(parsed.rpps);
      }
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { rpps, unmatchable } };
}
