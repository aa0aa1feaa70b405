// Reading bookings back, and who may see which: the requester its own, the
// professional those made with it, the coordinator those of its territories.
// Anyone else is told the booking does not exist (404, never 403). The store
// (ctx.bookings, src/db/stores/booking-rows.ts) applies that scope.
import type { AuthenticatedClient } from './client.js';
import type { StoredBooking } from './booking-store.js';
import type { UseCaseContext } from './context.js';
import { ApiProblem } from './problem.js';

export type { StoredBooking } from './booking-store.js';

export const bookingNotFound = (id: string) => new ApiProblem(404, 'not-found', 'Not found', `booking ${id} not found`, { errors: [{ field: 'id', message: 'no such booking visible to this client' }] });

export async function findVisibleBooking(ctx: UseCaseContext, client: AuthenticatedClient, id: string): Promise<StoredBooking> {
  const booking = await ctx.bookings.findVisible(client, id);
  if (booking === undefined) throw bookingNotFound(id);
  return booking;
}
