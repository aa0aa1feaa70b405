// A territory's triage rule set over HTTP: read, history, dry run, replace, roll back.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../usecases/actor.js';
import type { UseCaseContext } from '../../usecases/context.js';
import {
  invalidRuleSetProblemSchema, replaceRuleSetSchema, rollbackRuleSetSchema, ruleSetValidationSchema, ruleSetVersionsSchema,
  ruleSetViewSchema, territoryParamsSchema, validateRuleSetSchema,
} from '../../usecases/rule-set-views.js';
import { getRuleSet, listRuleSetVersions, replaceRuleSet, rollbackRuleSet, validateRuleSet } from '../../usecases/rule-sets.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { httpFieldNames } from '../field-names.js';
import { problemResponses } from '../schemas/problems.js';

const actor = (request: FastifyRequest) => actorOf(clientOf(request), request.id);
const tags = ['triage rule sets'];
// A large set (up to 300 rules) is bigger than the service's default body limit.
const DOCUMENT_BODY_LIMIT = 1_048_576;

export const ruleSetRoutes: FastifyPluginAsync<{ ctx: UseCaseContext }> = async (app, { ctx }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/v1/territories/:id/rule-set', {
    schema: {
      tags, summary: 'The triage rule set in force for a territory, with its version',
      description: 'Roles: regulator, pharmacist, coordinator of the territory. A territory without a set of its own shows the national default (version 1).',
      params: territoryParamsSchema, response: { 200: ruleSetViewSchema, ...problemResponses(400, 401, 403, 404, 429) },
    },
  }, async (request) => getRuleSet(ctx, clientOf(request), request.params.id));

  api.get('/v1/territories/:id/rule-set/versions', {
    schema: {
      tags, summary: 'Every version of a territory\'s rule set, newest first',
      params: territoryParamsSchema, response: { 200: ruleSetVersionsSchema, ...problemResponses(400, 401, 403, 404, 429) },
    },
  }, async (request) => listRuleSetVersions(ctx, clientOf(request), request.params.id));

  api.post('/v1/territories/:id/rule-set/validate', {
    bodyLimit: DOCUMENT_BODY_LIMIT,
    schema: {
      tags, summary: 'Dry run: check a rule-set document; nothing is stored',
      description: 'Role: coordinator. 200 with `ok` and, when invalid, each error with its JSON path in the document.',
      params: territoryParamsSchema, body: validateRuleSetSchema, response: { 200: ruleSetValidationSchema, ...problemResponses(400, 401, 403, 404, 429) },
    },
  }, async (request) => {
    const validation = validateRuleSet(ctx, clientOf(request), request.params.id, request.body);
    // A 200 that lists errors: its fields are named as a problem's would be.
    const name = httpFieldNames(request.method);
    return validation.errors === undefined ? validation : { ...validation, errors: validation.errors.map((e) => ({ ...e, field: name(e.field) })) };
  });

  api.put('/v1/territories/:id/rule-set', {
    bodyLimit: DOCUMENT_BODY_LIMIT,
    schema: {
      tags, summary: 'Replace a territory\'s rule set (a new version, in force on every instance within a second)',
      description: 'Role: coordinator. An invalid document is a 400 whose `errors` give the JSON path of each error; nothing is stored and the version in force stays. Audited.',
      params: territoryParamsSchema, body: replaceRuleSetSchema,
      response: { 200: ruleSetViewSchema, 400: invalidRuleSetProblemSchema, ...problemResponses(401, 403, 404, 429) },
    },
  }, async (request) => replaceRuleSet(ctx, actor(request), request.params.id, request.body));

  api.post('/v1/territories/:id/rule-set/rollback', {
    schema: {
      tags, summary: 'Put an earlier version back in force (as a new version: the history is kept)',
      description: 'Role: coordinator. Version 1 is the national default. Audited.',
      params: territoryParamsSchema, body: rollbackRuleSetSchema,
      response: { 200: ruleSetViewSchema, ...problemResponses(400, 401, 403, 404, 409, 429) },
    },
  }, async (request) => rollbackRuleSet(ctx, actor(request), request.params.id, request.body));
};
