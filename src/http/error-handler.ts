// Turns every failure into problem+json: validation errors name the field,
// client errors keep their message, server errors say nothing of their insides.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiProblem, fieldUnder, PROBLEM_CONTENT_TYPE, problemType, type ProblemBody } from '../usecases/problem.js';
import { fieldErrors } from '../usecases/validate.js';
import { httpFieldNames } from './field-names.js';

const KNOWN_CLIENT_ERRORS: Record<string, { slug: string; title: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { slug: 'body-too-large', title: 'Request body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { slug: 'unsupported-media-type', title: 'Unsupported media type' },
  FST_ERR_CTP_INVALID_JSON_BODY: { slug: 'malformed-json', title: 'Malformed JSON body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { slug: 'malformed-json', title: 'Empty JSON body' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { slug: 'bad-content-length', title: 'Invalid Content-Length' },
};

export function toProblem(error: FastifyError | ApiProblem | Error, method = 'POST'): { body: ProblemBody; headers: Record<string, string> } {
  if (error instanceof ApiProblem) {
    const named = error.withFieldNames(httpFieldNames(method));
    return { body: named.body, headers: named.headers };
  }
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    // The same field naming as the WebSocket channels (src/usecases/validate.ts).
    const where = fastifyError.validationContext ?? 'body';
    const errors = fieldErrors(fastifyError.validation.map((v) => ({
      path: v.instancePath.split('/').filter(Boolean), code: v.keyword, message: v.message ?? 'invalid',
      keys: (v.params as { keys?: string[] }).keys,
    }))).map((e) => ({ ...e, field: fieldUnder(where, e.field) }));
    return { body: { type: problemType('validation'), title: 'Invalid request', status: 400, detail: `${errors[0]!.field}: ${errors[0]!.message}`, errors }, headers: {} };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const known = fastifyError.code ? KNOWN_CLIENT_ERRORS[fastifyError.code] : undefined;
    // JSON syntax errors arrive as SyntaxError with statusCode 400 and no code.
    const slug = known?.slug ?? (error instanceof SyntaxError ? 'malformed-json' : 'client-error');
    const title = known?.title ?? (error instanceof SyntaxError ? 'Malformed JSON body' : 'Bad request');
    return { body: { type: problemType(slug), title, status, detail: fastifyError.message }, headers: {} };
  }
  if (status === 503) {
    return { body: { type: problemType('unavailable'), title: 'Service unavailable', status, detail: 'the service is overloaded or not ready; retry shortly' }, headers: { 'retry-after': '1' } };
  }
  return { body: { type: problemType('internal'), title: 'Internal error', status: 500, detail: 'an unexpected error occurred; it has been logged' }, headers: {} };
}

export function sendProblem(reply: FastifyReply, body: ProblemBody, headers: Record<string, string> = {}): FastifyReply {
  // Serialised as is, not through the route's response schema: a schema asking
  // more of its 400 (say, `errors`) than a malformed-JSON problem has would
  // make the serialiser throw and turn the 400 into a 500.
  return reply.code(body.status).headers(headers).type(PROBLEM_CONTENT_TYPE).serializer(JSON.stringify).send(body);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { body, headers } = toProblem(error, request.method);
    if (body.status >= 500 && !(error instanceof ApiProblem)) request.log.error({ err: error }, 'request failed');
    else request.log.info({ status: body.status, problem: body.type }, 'request refused');
    return sendProblem(reply, body, headers);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, { type: problemType('not-found'), title: 'Not found', status: 404, detail: `no route ${request.method} ${request.url.split('?')[0]}` }));
}
