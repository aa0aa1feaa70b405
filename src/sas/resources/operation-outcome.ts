// OperationOutcome, the error body of every /fhir answer (FHIR R4 http.html;
// the IG's "Réponse de base -- Echec": 4XX/5XX + OperationOutcome).
// Conventions: an HTTP parameter is named in issue.location as "http.<name>"
// (R4 OperationOutcome.issue.location); an element of a posted resource in
// issue.expression as a FHIRPath such as "Appointment.status".

import type { IssueCode, IssueSeverity, OperationOutcome, OperationOutcomeIssue } from './types.js';

export interface OutcomeIssueInput {
  code: IssueCode;
  diagnostics: string;
  severity?: IssueSeverity;
  /** FHIRPath of the offending element of a submitted resource. */
  expression?: string;
  /** Name of the offending HTTP (query) parameter. */
  parameter?: string;
}

export function outcomeIssue(input: OutcomeIssueInput): OperationOutcomeIssue {
  return {
    severity: input.severity ?? 'error',
    code: input.code,
    diagnostics: input.diagnostics,
    ...(input.parameter !== undefined ? { location: [`http.${input.parameter}`] } : {}),
    ...(input.expression !== undefined ? { expression: [input.expression] } : {}),
  };
}

export function operationOutcome(issues: readonly OutcomeIssueInput[]): OperationOutcome {
  if (issues.length === 0) throw new Error('an OperationOutcome needs at least one issue');
  return { resourceType: 'OperationOutcome', issue: issues.map(outcomeIssue) };
}

/** The single-issue outcome most routes need. */
export function errorOutcome(code: IssueCode, diagnostics: string): OperationOutcome {
  return operationOutcome([{ code, diagnostics }]);
}

/** Informational outcome, e.g. to go with a 200/201 when the client asked for one. */
export function informationOutcome(diagnostics: string): OperationOutcome {
  return operationOutcome([{ code: 'informational', severity: 'information', diagnostics }]);
}

const STATUS_BY_CODE: Partial<Record<IssueCode, number>> = {
  invalid: 400,
  structure: 400,
  required: 400,
  value: 400,
  'not-supported': 400,
  'too-costly': 400,
  login: 401,
  security: 403,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  duplicate: 409,
  'business-rule': 422,
  throttled: 429,
  timeout: 504,
};

/**
 * The HTTP status that goes with an outcome: that of its most severe issue
 * (the first error or fatal one). Routes may override, e.g. 422 for a posted
 * resource that parses but breaks the profile.
 */
export function httpStatusOf(outcome: OperationOutcome): number {
  const blocking = outcome.issue.find((i) => i.severity === 'error' || i.severity === 'fatal');
  if (!blocking) return 200;
  return STATUS_BY_CODE[blocking.code] ?? 500;
}
