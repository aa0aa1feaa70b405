// What the OpenAPI document says of each route beyond its own schema: who may
// call it (security), the refusals every route shares (authentication, rate
// limit, body parsing, overload), the media type of errors (problem+json, or
// an OperationOutcome under /fhir) and the FHIR bodies, which are parsed by hand.
// Documentation only: the route's own schema, which validates and serialises, is left as it is.
import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { problemResponses } from '../http/schemas/problems.js';
import { fhirOperationDocs } from '../sas/transport/openapi.js';

/** Routes that answer without a token; every other route needs `Authorization: Bearer`. */
const PUBLIC_ROUTES = new Set(['/healthz', '/readyz', '/fhir/metadata']);
/** Not refused under load (plugins/under-pressure.ts), and no database behind it. */
const NEVER_SHED = new Set(['/healthz']);
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PROBLEM_JSON = 'application/problem+json';

export function isPublicRoute(url: string): boolean {
  return PUBLIC_ROUTES.has(url) || url === '/docs' || url.startsWith('/docs/');
}

/** The error statuses any route of this kind may answer, whatever its own logic. */
function serverWideErrors(method: string, url: string): number[] {
  const statuses: number[] = [431]; // URL and headers over Node's limit, refused before routing
  if (url.includes(':')) statuses.push(400, 414); // a path parameter badly percent-encoded, or over Fastify's maxParamLength (100)
  if (!isPublicRoute(url)) statuses.push(401, 429);
  if (WITH_BODY.has(method)) statuses.push(400, 413, 415); // malformed JSON, too large, another media type
  if (!NEVER_SHED.has(url)) statuses.push(503);
  return [...new Set(statuses)];
}

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type Responses = Record<string, Record<string, unknown>>;

function isProblem(schema: Record<string, unknown>): boolean {
  const properties = schema.properties as Record<string, unknown> | undefined;
  return properties?.type !== undefined && properties.title !== undefined && properties.status !== undefined;
}

/** Error answers of /v1 and the operations routes are problem+json, not plain JSON (a readiness report stays JSON). */
function asProblemJson(responses: Responses): Responses {
  return Object.fromEntries(Object.entries(responses).map(([status, response]) => {
    if (Number(status) < 400 || 'content' in response || !isProblem(response)) return [status, response];
    return [status, { description: response.description ?? 'Error', content: { [PROBLEM_JSON]: { schema: response } } }];
  }));
}

function methodOf(route: TransformInput['route']): string {
  const method = Array.isArray(route.method) ? route.method[0] : route.method;
  return String(method).toUpperCase();
}

/** The fastify-swagger transform: the zod schemas as JSON Schema, then security and the shared refusals. */
export function documentRoute(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  const { url } = input;
  const method = methodOf(input.route);
  const security = isPublicRoute(url) ? [] : [{ bearer: [] }];
  if (url.startsWith('/fhir/')) {
    const openApiPath = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const { requestBody, responses } = fhirOperationDocs(method, openApiPath, serverWideErrors(method, url));
    const { schema } = jsonSchemaTransform(input);
    return { schema: { ...schema, security, response: responses, ...(requestBody !== undefined ? { body: requestBody } : {}) } as FastifySchema, url };
  }
  const own = (input.schema ?? {}) as FastifySchema & { response?: Record<number, unknown> };
  const shared = problemResponses(...serverWideErrors(method, url).filter((status) => own.response?.[status] === undefined));
  const { schema } = jsonSchemaTransform({ ...input, schema: { ...own, response: { ...shared, ...own.response } } as FastifySchema });
  const transformed = schema as FastifySchema & { response?: Responses };
  return { schema: { ...transformed, security, ...(transformed.response !== undefined ? { response: asProblemJson(transformed.response) } : {}) } as FastifySchema, url };
}
