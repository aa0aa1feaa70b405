// POST /v1/triage and POST /v1/requests (SPEC §6): thin adapters over the
// transport-neutral use cases.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { UseCaseContext } from '../../usecases/context.js';
import { createRequest, createRequestResponseSchema, createRequestSchema } from '../../usecases/requests.js';
import { triageRequest, triageRequestSchema, triageResponseSchema } from '../../usecases/triage.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { problemResponses } from '../schemas/problems.js';

const tags = ['triage'];

export const triageRoutes: FastifyPluginAsync<{ ctx: UseCaseContext }> = async (app, { ctx }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/v1/triage', {
    schema: {
      tags,
      summary: 'Orient a request: call the 15, a pharmacy protocol, or book (with whom, how and how soon)',
      description: 'Roles: regulator, pharmacist, coordinator. The rules in force for the patient\'s commune\'s territory decide (else the named territory, else the client\'s only territory; a commune outside every territory gets the national default). The answer names the rule and the rule-set version. An unknown code is a 400 naming the field (e.g. body.complaint). Nothing is recorded.',
      body: triageRequestSchema,
      response: { 200: triageResponseSchema, ...problemResponses(400, 401, 403, 429) },
    },
  }, async (request) => triageRequest(ctx, clientOf(request), request.body));

  api.post('/v1/requests', {
    schema: {
      tags,
      summary: 'Triage and match in one call; the request is recorded with its outcome',
      description: 'Roles: regulator, pharmacist, coordinator. A book orientation is matched with the triage\'s professions (earliest first across all of them), skills and modalities, within its maximum delay (never beyond 48 h); the match options may only narrow it. A call-15 or pharmacy-protocol orientation returns no candidates and says why (`reason`). The request (patient age, sex and pregnancy only) is committed before the answer; its id may be given to POST /v1/holds and /v1/bookings.',
      body: createRequestSchema,
      response: { 200: createRequestResponseSchema, ...problemResponses(400, 401, 403, 429, 503) },
    },
  }, async (request) => createRequest(ctx, clientOf(request), request.body));
};
