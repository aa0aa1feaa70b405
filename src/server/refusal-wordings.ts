// How each transport words a refusal made before routing (src/server/refusals.ts):
// problem+json by default (the /v1 API's errors), an OperationOutcome under
// /fhir. Here, in the composition root, so that generic server code imports no FHIR.
import { STATUS_CODES } from 'node:http';
import { errorOutcome, type IssueCode } from '../sas/resources/index.js';
import { PROBLEM_CONTENT_TYPE, problemType } from '../usecases/problem.js';
import type { Refusal, RefusalWording } from './refusals.js';

export const problemRefusal: RefusalWording = ({ status, slug, detail }) => ({
  contentType: PROBLEM_CONTENT_TYPE,
  body: JSON.stringify({ type: problemType(slug), title: STATUS_CODES[status] ?? 'Bad request', status, detail }),
});

const ISSUE_OF_KIND: Record<Refusal['kind'], IssueCode> = {
  'too-large': 'too-costly', timeout: 'timeout', unparsable: 'structure', throttled: 'throttled', invalid: 'invalid',
};

export const fhirRefusal: RefusalWording = ({ kind, detail }) => ({
  contentType: 'application/fhir+json; charset=utf-8',
  body: JSON.stringify(errorOutcome(ISSUE_OF_KIND[kind], detail)),
});
