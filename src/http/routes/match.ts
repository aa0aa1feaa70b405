// POST /v1/match: the earliest compatible free slots (SPEC §6).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { match, matchRequestSchema, matchResponseSchema } from '../../usecases/match.js';
import type { UseCaseContext } from '../../usecases/context.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { matchDuration } from '../../observability/metrics.js';
import { problemResponses } from '../schemas/problems.js';
import { matchResponseJson } from '../match-json.js';

export const matchRoutes: FastifyPluginAsync<{ ctx: UseCaseContext }> = async (app, { ctx }) => {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/match', {
    schema: {
      tags: ['matching'],
      summary: 'Find the earliest compatible free slots within 48 hours',
      description: 'Give the patient\'s commune (or a territory). Results are earliest first, ties broken by distance from `near` or the commune centre. The horizon never exceeds 48 h nor reaches into the past.',
      body: matchRequestSchema,
      response: { 200: matchResponseSchema, ...problemResponses(400, 401, 403, 429, 503) },
    },
  }, async (request, reply) => {
    const stop = matchDuration.startTimer({ channel: 'http' });
    try {
      const answer = match(ctx, clientOf(request), request.body);
      // The answer's JSON by hand, from parts kept across answers (match-json.ts), with its media
      // type (Fastify names it only when it serialises itself). Set once the answer is made: a
      // problem thrown before is serialised as every route's.
      reply.serializer(matchResponseJson).type('application/json; charset=utf-8');
      return answer;
    } finally {
      stop();
    }
  });
};
