// Every refusal is a problem (RFC 9457): HTTP sends it as application/problem+json,
// the WebSocket channels send the same body in their error messages.
export interface FieldError {
  /**
   * Where the bad value is in the use case's input, e.g. "horizonHours" or
   * "patient.phone" ("" for the input as a whole). By convention "id" names the
   * resource a request addresses and "idempotencyKey" the key of a retried
   * request. Each transport names fields its own way (see withFieldNames).
   */
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
  /** True once a transport has named the fields its own way (withFieldNames). */
  fieldsNamed = false;

  constructor(status: number, slug: string, title: string, detail?: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(detail ?? title);
    this.body = { type: problemType(slug), title, status, ...(detail !== undefined ? { detail } : {}), ...extensions };
    this.headers = headers;
  }

  get status(): number {
    return this.body.status;
  }

  /**
   * The same problem with its fields named by a transport (HTTP `body.x`, a
   * message path, a FHIRPath), in `errors` and where the detail quotes them.
   * Named once: the first transport to catch it names it.
   */
  withFieldNames(name: (field: string) => string): ApiProblem {
    if (this.fieldsNamed) return this;
    const { errors, detail, ...rest } = this.body;
    const named = new ApiProblem(rest.status, '', rest.title,
      detail === undefined || errors === undefined ? detail : nameFieldsInDetail(detail, errors, name),
      { ...rest, ...(errors !== undefined ? { errors: errors.map((e) => ({ ...e, field: name(e.field) })) } : {}) }, this.headers);
    named.fieldsNamed = true;
    return named;
  }
}

/**
 * A detail quotes a field as "<field>: <message>", first or after a space.
 * Scanned rather than matched with one regular expression of all the fields:
 * a field is any key a client sent, and a long enough one (a hostile 60 KB key)
 * made that expression too large to compile (a 500 where a 400 was due).
 * Longest field first, as an alternation of them sorted by length would.
 */
function nameFieldsInDetail(detail: string, errors: readonly FieldError[], name: (field: string) => string): string {
  const fields = [...new Set(errors.map((e) => e.field))].sort((a, b) => b.length - a.length);
  let named = '';
  let copied = 0;
  for (let at = 0; at < detail.length; at++) {
    // After a space not already part of a named field (one may end with a space).
    if (at > 0 && (at - 1 < copied || !WHITESPACE.test(detail[at - 1]!))) continue;
    const field = fields.find((f) => detail.startsWith(f, at) && detail.startsWith(': ', at + f.length));
    // An empty field names the whole input: only where the detail starts with ": ".
    if (field === undefined || (field === '' && at > 0)) continue;
    named += detail.slice(copied, at) + name(field);
    copied = at + field.length;
    at = Math.max(copied, at + 1) - 1; // past an empty field too
  }
  return named + detail.slice(copied);
}

const WHITESPACE = /\s/;

/** Runs a use case, naming the fields of any problem it throws (see withFieldNames). */
export async function namingFields<T>(name: (field: string) => string, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof ApiProblem ? error.withFieldNames(name) : error;
  }
}

/** `x` of an input carried under `where` ("body", "message"): "where.x", or "where" itself for the whole input. */
export function fieldUnder(where: string, field: string): string {
  return field === '' ? where : `${where}.${field}`;
}

export function validationProblem(errors: FieldError[], detail?: string): ApiProblem {
  const first = errors[0];
  return new ApiProblem(400, 'validation', 'Invalid request',
    detail ?? (first ? `${first.field}: ${first.message}` : 'the request is invalid'), { errors });
}

export const notFound = (what: string): ApiProblem => new ApiProblem(404, 'not-found', 'Not found', `${what} not found`);
export const forbidden = (detail: string): ApiProblem => new ApiProblem(403, 'forbidden', 'Forbidden', detail);
