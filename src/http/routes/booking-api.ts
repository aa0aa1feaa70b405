// The holds, bookings and administration routes of issue 5, as one plugin for app.ts.
import type { FastifyPluginAsync } from 'fastify';
import type { UseCaseContext } from '../../usecases/context.js';
import { adminRoutes } from './admin.js';
import { bookingRoutes } from './bookings.js';
import { holdRoutes } from './holds.js';

export const bookingApiRoutes: FastifyPluginAsync<{ ctx: UseCaseContext; materialiseDays: number }> = async (app, options) => {
  await app.register(holdRoutes, { ctx: options.ctx });
  await app.register(bookingRoutes, { ctx: options.ctx });
  await app.register(adminRoutes, options);
};
