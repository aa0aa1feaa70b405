// Every refusal is a problem (RFC 9457): HTTP sends it as application/problem+json,
// the WebSocket channels send the same body in their error messages.
export interface FieldError {
  /** Where the bad value is, e.g. "body.horizonHours" or "query.start". */
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problemType(slug: string): string {
  return `urn:problem:snp-match:${slug}`;
}

/** A refusal of the service, independent of the transport that carries it. */
export class ApiProblem extends Error {
  readonly body: ProblemBody;
  readonly headers: Record<string, string>;

  constructor(status: number, slug: string, title: string, detail?: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(detail ?? title);
    this.body = { type: problemType(slug), title, status, ...(detail !== undefined ? { detail } : {}), ...extensions };
    this.headers = headers;
  }

  get status(): number {
    return this.body.status;
  }
}

export function validationProblem(errors: FieldError[], detail?: string): ApiProblem {
  const first = errors[0];
  return new ApiProblem(400, 'validation', 'Invalid request',
    detail ?? (first ? `${first.field}: ${first.message}` : 'the request is invalid'), { errors });
}

export const notFound = (what: string): ApiProblem => new ApiProblem(404, 'not-found', 'Not found', `${what} not found`);
export const forbidden = (detail: string): ApiProblem => new ApiProblem(403, 'forbidden', 'Forbidden', detail);
