// Under /fhir every failure is an OperationOutcome (application/fhir+json),
// never problem+json: refusals of the use cases (ApiProblem), Fastify's own
// client errors (bad JSON, wrong media type, too large), unknown routes, and
// unexpected errors (a 500 that says nothing of its insides).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { operationOutcome, type OutcomeIssueInput } from '../resources/index.js';
import type { IssueCode, OperationOutcome } from '../resources/types.js';
import { ApiProblem } from '../../usecases/problem.js';
import { sendFhir } from './reply.js';

/** A refusal decided by the FHIR transport itself, with its exact status and issues. */
export class FhirError extends Error {
  constructor(readonly status: number, readonly issues: OutcomeIssueInput[], readonly headers: Record<string, string> = {}) {
    super(issues[0]?.diagnostics ?? `HTTP ${status}`);
  }
}

const CODE_OF_STATUS: Record<number, IssueCode> = {
  400: 'invalid', 401: 'login', 403: 'forbidden', 404: 'not-found', 405: 'not-supported', 406: 'not-supported',
  409: 'conflict', 410: 'not-found', 412: 'conflict', 413: 'too-costly', 415: 'not-supported', 422: 'business-rule', 429: 'throttled',
};

function codeOf(status: number): IssueCode {
  return CODE_OF_STATUS[status] ?? (status >= 500 ? 'exception' : 'invalid');
}

/** The OperationOutcome of a use-case refusal: its detail, and each offending field as an expression. */
export function outcomeOfProblem(problem: ApiProblem, status = problem.status, code = codeOf(status)): OperationOutcome {
  const detail = problem.body.detail ?? problem.body.title;
  const errors = problem.body.errors;
  return operationOutcome(errors !== undefined && errors.length > 0
    ? errors.map((e) => ({ code, diagnostics: `${detail} (${e.field}: ${e.message})` }))
    : [{ code, diagnostics: detail }]);
}

function toOutcome(error: FastifyError | Error): { status: number; outcome: OperationOutcome; headers: Record<string, string> } {
  if (error instanceof FhirError) return { status: error.status, outcome: operationOutcome(error.issues), headers: error.headers };
  if (error instanceof ApiProblem) return { status: error.status, outcome: outcomeOfProblem(error), headers: error.headers };
  const status = (error as FastifyError).statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Body parsing: a SyntaxError (malformed JSON) or a Fastify content-type error.
    const fastifyCode = (error as FastifyError).code;
    const unparsable = error instanceof SyntaxError || fastifyCode === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyCode === 'FST_ERR_CTP_EMPTY_JSON_BODY';
    const code: IssueCode = unparsable ? 'structure' : codeOf(status);
    return { status, outcome: operationOutcome([{ code, diagnostics: error.message }]), headers: {} };
  }
  if (status === 503) {
    return { status, outcome: operationOutcome([{ code: 'exception', diagnostics: 'the service is overloaded or not ready; retry shortly' }]), headers: { 'retry-after': '1' } };
  }
  return { status: 500, outcome: operationOutcome([{ code: 'exception', diagnostics: 'an unexpected error occurred; it has been logged' }]), headers: {} };
}

export function installOutcomeErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, outcome, headers } = toOutcome(error);
    // Never the body: a posted Appointment may name the patient.
    if (status >= 500) request.log.error({ err: error }, 'fhir request failed');
    else request.log.info({ status, issue: outcome.issue[0]?.code }, 'fhir request refused');
    return sendFhir(reply.headers(headers), status, outcome);
  });
  app.setNotFoundHandler((request, reply) => sendFhir(reply, 404, operationOutcome([{
    code: 'not-found', diagnostics: `no FHIR interaction ${request.method} ${request.url.split('?')[0]} (see GET /fhir/metadata)`,
  }])));
}
