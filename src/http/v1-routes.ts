// The REST transport: every /v1 route. The composition root registers it in
// the authenticated, rate-limited /v1 scope it shares with the WebSocket channels.
import type { FastifyPluginAsync } from 'fastify';
import type { UseCaseContext } from '../usecases/context.js';
import { bookingApiRoutes } from './routes/booking-api.js';
import { communeRoutes } from './routes/communes.js';
import { indicatorRoutes } from './routes/indicators.js';
import { matchRoutes } from './routes/match.js';
import { slotRoutes } from './routes/slots.js';
import { triageApiRoutes } from './routes/triage-api.js';

export interface V1RoutesOptions {
  ctx: UseCaseContext;
  /** Days ahead a new on-call band is materialised. */
  materialiseDays: number;
}

export const v1Routes: FastifyPluginAsync<V1RoutesOptions> = async (v1, { ctx, materialiseDays }) => {
  await v1.register(matchRoutes, { ctx });
  await v1.register(slotRoutes, { ctx });
  await v1.register(indicatorRoutes, { ctx });
  await v1.register(bookingApiRoutes, { ctx, materialiseDays });
  await v1.register(triageApiRoutes, { ctx });
  await v1.register(communeRoutes, { ctx });
};
