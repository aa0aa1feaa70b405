// The triage routes of issue 4 (triage, requests, rule-set administration), as one plugin for app.ts.
import type { FastifyPluginAsync } from 'fastify';
import type { UseCaseContext } from '../../usecases/context.js';
import { ruleSetRoutes } from './rule-sets.js';
import { triageRoutes } from './triage.js';

export const triageApiRoutes: FastifyPluginAsync<{ ctx: UseCaseContext }> = async (app, options) => {
  await app.register(triageRoutes, options);
  await app.register(ruleSetRoutes, options);
};
