// Hostile HTTP requests for every operation of the service's own OpenAPI
// document (/docs/json), so a route added tomorrow is fuzzed without anyone
// listing it here. Each request bends the path parameters, the query string,
// the headers (authorization included) and the body; `verdict` says whether
// the answer keeps the contract: never a 5xx, and every 4xx machine-readable
// (problem+json under /v1, an OperationOutcome under /fhir).
import fc from 'fast-check';
import { EXTENSION, SLOT_INCLUDES, SYSTEM } from '../../src/sas/resources/constants.js';
import { headerSafe, hostileBody, hostileJson, hostileString, shaped, type JsonSchema, type KnownValues } from './hostile.js';

export interface Operation {
  method: string;
  /** OpenAPI path template, e.g. /v1/bookings/{id}. */
  path: string;
  pathParams: string[];
  query: { name: string; schema: JsonSchema }[];
  headers: { name: string; schema: JsonSchema }[];
  body: JsonSchema | undefined;
  /** Takes a body even though the document shows none (FHIR routes parse theirs by hand). */
  takesBody: boolean;
  /** The statuses the document gives for this operation. */
  statuses: number[];
  /** The media types the document gives for each status's body (none: no body). */
  mediaTypes: Record<number, string[]>;
}

export interface FuzzRequest { method: string; path: string; headers: Record<string, string>; body?: string }

export interface Credentials {
  /** Valid tokens, most requests carry one of them (else they would all stop at 401). */
  valid: readonly string[];
  /** Expired, revoked or otherwise refused tokens. */
  refused: readonly string[];
}

/** The operations of an OpenAPI 3 document; WebSocket routes and the documentation itself excluded. */
export function operationsOf(document: { paths: Record<string, Record<string, any>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    if (path.startsWith('/docs')) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = (op.parameters ?? []) as { in: string; name: string; schema?: JsonSchema }[];
      const body = op.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
      operations.push({
        method: method.toUpperCase(), path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        headers: parameters.filter((p) => p.in === 'header').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body,
        takesBody: body !== undefined || (path.startsWith('/fhir/') && ['POST', 'PUT'].includes(method.toUpperCase())),
        statuses: Object.keys(op.responses ?? {}).map(Number),
        mediaTypes: Object.fromEntries(Object.entries<{ content?: object }>(op.responses ?? {}).map(([status, r]) => [Number(status), Object.keys(r.content ?? {})])),
      });
    }
  }
  return operations;
}

// The FHIR routes read their query by hand: what the SAS search and the other FHIR reads understand, and more.
const FHIR_QUERY_NAMES = ['start', 'schedule.actor:Practitioner.identifier', 'status', '_include', '_include:iterate', '_count',
  '_id', 'identifier', 'name', 'family', '_format', '_summary', '_sort', 'service-type', 'schedule', 'start:missing', '_elements'] as const;

function fhirQueryValue(name: string, known: KnownValues): fc.Arbitrary<string> {
  const rpps = known.strings.filter((s) => /^\d{11}$/.test(s));
  const fitting: Record<string, fc.Arbitrary<string>> = {
    start: fc.tuple(fc.constantFrom('ge', 'le', 'gt', 'lt', 'eq', 'ne', 'sa', 'eb', 'ap', ''),
      fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })).map(([p, d]) => p + d.toISOString()),
    'schedule.actor:Practitioner.identifier': fc.array(fc.oneof(
      ...(rpps.length > 0 ? [fc.constantFrom(...rpps).map((r) => `${SYSTEM.idnps}|8${r}`)] : []), hostileString), { minLength: 1, maxLength: 30 }).map((a) => a.join(',')),
    status: fc.constantFrom('free', 'busy', 'FREE', 'free,busy'),
    _include: fc.constantFrom(...SLOT_INCLUDES, 'Slot:*', '*'),
    '_include:iterate': fc.constantFrom(...SLOT_INCLUDES, 'Schedule:actor'),
    _count: fc.constantFrom('0', '1', '-1', '1000000', 'ten', '1.5'),
  };
  return fc.oneof({ weight: 3, arbitrary: fitting[name] ?? hostileString }, { weight: 1, arbitrary: hostileString });
}

/** One FHIR search parameter, its value fitting or hostile. */
const fhirParam = (known: KnownValues): fc.Arbitrary<[string, string]> =>
  fc.constantFrom(...FHIR_QUERY_NAMES).chain((name) => fhirQueryValue(name, known).map((v): [string, string] => [name, v]));

/** The SAS's own search (as SPEC §6 shows it), valid, then bent in one or two places: gets past the first checks. */
function sasSearch(known: KnownValues): fc.Arbitrary<[string, string][]> {
  const rpps = known.strings.filter((s) => /^\d{11}$/.test(s));
  const now = Date.now();
  const valid = fc.record({
    from: fc.integer({ min: -60, max: 2_880 }), span: fc.integer({ min: 1, max: 4_000 }),
    practitioners: fc.subarray(rpps, { minLength: 1 }), includes: fc.subarray([...SLOT_INCLUDES]),
  }).map(({ from, span, practitioners, includes }): [string, string][] => [
    ['start', `ge${new Date(now + from * 60_000).toISOString()}`], ['start', `le${new Date(now + (from + span) * 60_000).toISOString()}`],
    ['schedule.actor:Practitioner.identifier', practitioners.map((r) => `${SYSTEM.idnps}|8${r}`).join(',')], ['status', 'free'],
    ...includes.map((i): [string, string] => [i.startsWith('Schedule') || i.startsWith('HealthcareService') ? '_include:iterate' : '_include', i]),
  ]);
  const bend = fc.tuple(fc.nat(), fhirParam(known), fc.boolean());
  return fc.tuple(valid, fc.array(bend, { maxLength: 2 })).map(([params, bends]) => {
    const out = [...params];
    for (const [at, param, replace] of bends) {
      if (replace && out.length > 0) out[at % out.length] = param; else out.push(param);
    }
    return out;
  });
}

/** A FrAppointmentSAS-shaped body whose every node may be bent (the routes validate by hand). */
function appointmentSchema(known: KnownValues): JsonSchema {
  const idnps = known.strings.filter((s) => /^\d{11}$/.test(s)).map((r) => `8${r}`);
  return {
    type: 'object', required: ['resourceType', 'status', 'start', 'end', 'participant', 'identifier'],
    properties: {
      resourceType: { enum: ['Appointment', 'Patient', 'Bundle'] },
      extension: { type: 'array', items: { type: 'object', properties: { url: { enum: [EXTENSION.appointmentOperator] }, valueReference: {} } } },
      identifier: { type: 'array', items: { type: 'object', properties: { system: { enum: ['urn:oid:1.2.250.1.213.1.6.4.2'] }, value: { type: 'string' } } } },
      status: { enum: ['booked', 'fulfilled', 'noshow', 'cancelled', 'proposed', 'pending'] },
      start: { type: 'string', format: 'date-time' },
      end: { type: 'string', format: 'date-time' },
      participant: { type: 'array', items: { type: 'object', properties: {
        actor: { type: 'object', properties: { identifier: { type: 'object', properties: {
          system: { enum: [SYSTEM.idnps] }, value: idnps.length > 0 ? { enum: idnps } : { type: 'string' } } }, reference: { type: 'string' } } },
        status: { enum: ['accepted', 'declined'] } } } },
      contained: { type: 'array', items: { type: 'object', properties: { resourceType: { enum: ['Patient'] }, id: { type: 'string' }, name: {}, telecom: {} } } },
    },
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function encodeComponent(text: string, raw: boolean): string {
  // A URL cannot carry a lone surrogate at all: it becomes U+FFFD, as a browser would send it.
  const value = text.replace(LONE_SURROGATE, '\uFFFD');
  // Now and then sent unescaped (only what would break the URL itself is escaped): malformed percent sequences pass through.
  return raw ? value.replace(/[#?/\s&=]/g, (c) => encodeURIComponent(c)).replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c)) : encodeURIComponent(value);
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

const CONTENT_TYPES = ['application/json', 'application/json', 'application/json; charset=utf-8', 'application/fhir+json', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/xml', 'application/json; charset=latin1', ''] as const;

/** One hostile request for `op`. */
export function requestFor(op: Operation, known: KnownValues, credentials: Credentials): fc.Arbitrary<FuzzRequest> {
  const fhir = op.path.startsWith('/fhir/');
  const pathValue = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...known.uuids) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 3, arbitrary: hostileString });
  const anyFhirQuery = fc.array(fhirParam(known), { maxLength: 8 });
  const queryArb: fc.Arbitrary<[string, string][]> = fhir
    ? (op.path === '/fhir/Slot' ? fc.oneof({ weight: 3, arbitrary: sasSearch(known) }, { weight: 1, arbitrary: anyFhirQuery }) : anyFhirQuery)
    : fc.tuple(
      fc.subarray(op.query).chain((params) => fc.tuple(...params.map((p) => shaped(p.schema, known).map((v): [string, string] => [p.name, stringify(v)])))),
      fc.array(fc.tuple(hostileString, hostileString), { maxLength: 2 }),
    ).map(([declared, extra]) => [...declared, ...extra]);
  const auth = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...credentials.valid).map((t) => ({ authorization: `Bearer ${t}` })) },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.constantFrom(...credentials.refused).map((t) => ({ authorization: `Bearer ${t}` })) },
    { weight: 1, arbitrary: hostileString.map((s) => ({ authorization: headerSafe(`Bearer ${s}`) })) },
    { weight: 1, arbitrary: fc.constantFrom('Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer  ', 'bearer x y', 'Token abc', 'Bearer ' + 'A'.repeat(9_000))
      .map((authorization) => ({ authorization })) },
  );
  const extraHeaders = fc.record({
    'idempotency-key': fc.oneof(fc.uuid(), hostileString.map(headerSafe)),
    'x-request-id': hostileString.map(headerSafe),
    accept: fc.constantFrom('*/*', 'application/json', 'text/html', 'application/fhir+xml', '\u00ff'),
    'if-none-match': hostileString.map(headerSafe),
  }, { requiredKeys: [] });
  const body = op.takesBody
    ? fc.option(hostileBody(fhir ? appointmentSchema(known) : op.body, known), { freq: 8 })
    : op.method === 'GET'
      ? fc.constant(null) // fetch cannot send one
      : fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: hostileJson.map((v) => ({ raw: JSON.stringify(v) ?? 'null' })) });

  return fc.record({
    params: fc.tuple(...op.pathParams.map(() => fc.tuple(pathValue, fc.boolean()))),
    query: queryArb,
    rawQuery: fc.boolean(),
    auth, extraHeaders, body,
    contentType: fc.constantFrom(...CONTENT_TYPES),
  }).map((r) => {
    let i = 0;
    const path = op.path.replace(/\{[^}]+\}/g, () => { const [v, raw] = r.params[i++]!; return encodeComponent(v, raw) || 'x'; });
    const query = r.query.map(([k, v]) => `${encodeComponent(k, r.rawQuery)}=${encodeComponent(v, r.rawQuery)}`).join('&');
    const headers: Record<string, string> = { ...r.auth, ...r.extraHeaders };
    if (r.body !== null) headers['content-type'] = r.contentType;
    return { method: op.method, path: query === '' ? path : `${path}?${query}`, headers, ...(r.body !== null ? { body: r.body.raw } : {}) };
  });
}

export interface Answer { status: number; contentType: string; body: string; timedOut?: boolean }

/** Sends the request as is; a failure to connect or a reset is status 0. */
export async function send(base: string, request: FuzzRequest, timeoutMs = 15_000): Promise<Answer> {
  try {
    const response = await fetch(base + request.path, {
      method: request.method, headers: request.headers, signal: AbortSignal.timeout(timeoutMs),
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
    const answer = { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
    if (process.env.FUZZ_DEBUG) process.stderr.write(`${answer.status} ${request.method} ${request.path.slice(0, 120)} ${(request.body ?? '').length}\n`);
    return answer;
  } catch (error) {
    // The client refusing to send it (an invalid URL or header) is no answer of the service.
    if (error instanceof TypeError && !(error as { cause?: unknown }).cause) return { status: -1, contentType: '', body: String(error) };
    const timedOut = (error as Error).name === 'TimeoutError';
    return { status: 0, contentType: '', body: String((error as { cause?: unknown }).cause ?? error), timedOut };
  }
}

/**
 * null when the answer keeps the contract, else what is wrong with it. A
 * success with a body must say it is one of the media types its operation
 * documents for that status (a client decodes by it: the match answer once
 * went out with none).
 */
export function verdict(path: string, answer: Answer, op: Pick<Operation, 'mediaTypes'>): string | null {
  if (answer.status === -1) return null;
  if (answer.status === 0) return `no answer (${answer.body.slice(0, 200)})`;
  if (answer.status >= 500) return `${answer.status}: ${answer.body.slice(0, 300)}`;
  if (answer.status < 400) {
    const documented = op.mediaTypes[answer.status] ?? [];
    const given = answer.contentType.split(';')[0]!.trim();
    if (answer.body !== '' && !documented.includes(given)) {
      return `${answer.status} as "${answer.contentType}", where the document gives ${JSON.stringify(documented)}: ${answer.body.slice(0, 120)}`;
    }
    return null;
  }
  let body: any;
  try { body = JSON.parse(answer.body); } catch { return `${answer.status} with a body that is not JSON: ${answer.body.slice(0, 200)}`; }
  if (path.startsWith('/fhir/')) {
    if (!answer.contentType.startsWith('application/fhir+json')) return `${answer.status} as ${answer.contentType}, not application/fhir+json`;
    if (body?.resourceType !== 'OperationOutcome' || !Array.isArray(body.issue) || body.issue.length === 0) return `${answer.status} without an OperationOutcome`;
    return null;
  }
  if (!answer.contentType.startsWith('application/problem+json')) return `${answer.status} as ${answer.contentType}, not problem+json: ${answer.body.slice(0, 200)}`;
  if (body?.status !== answer.status || typeof body.type !== 'string' || typeof body.title !== 'string') return `${answer.status} with a malformed problem: ${answer.body.slice(0, 200)}`;
  return null;
}
