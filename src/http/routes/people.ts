// Coordinators: who may use the counter (web app accounts), src/usecases/admin/people.ts.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { clientOf } from '../../auth/fastify-authentication.js';
import {
  addPerson, createPersonSchema, disablePersonOf, listPeopleOf, peopleListSchema, peopleQuerySchema, personViewSchema, type PeopleStore,
} from '../../usecases/admin/people.js';
import { z } from 'zod';
import { idParamsSchema, problemResponses } from '../schemas/problems.js';

const tags = ['administration'];

export const peopleRoutes: FastifyPluginAsync<{ people: PeopleStore }> = async (app, { people }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/v1/admin/people', {
    schema: { tags, summary: 'People (web app accounts) of one of your territories', querystring: peopleQuerySchema, response: { 200: peopleListSchema, ...problemResponses(400, 401, 403, 429) } },
  }, async (request) => listPeopleOf(people, clientOf(request), request.query.territory));

  api.post('/v1/admin/people', {
    schema: { tags, summary: 'Let a person use the counter (pharmacist or regulator; login = RPPS with Pro Santé Connect)', body: createPersonSchema, response: { 201: z.object({ person: personViewSchema }), ...problemResponses(400, 401, 403, 409, 429) } },
  }, async (request, reply) => reply.code(201).send(await addPerson(people, clientOf(request), request.body)));

  api.post('/v1/admin/people/:id/disable', {
    schema: { tags, summary: 'Stop a person: its sessions end and its sockets close', params: idParamsSchema, response: { 204: z.null(), ...problemResponses(400, 401, 403, 404, 429) } },
  }, async (request, reply) => {
    await disablePersonOf(people, clientOf(request), request.params.id);
    return reply.code(204).send(null);
  });
};
