// GET /v1/bookings/:id and GET /v1/bookings: read-only, scoped by booking-records.ts.
import { z } from 'zod';
import { BOOKING_STATUSES } from '../core/domain.js';
import type { Actor } from './actor.js';
import { findVisibleBooking } from './booking-records.js';
import { bookingDetail, bookingDetailSchema } from './booking-view.js';
import type { UseCaseContext } from './context.js';
import { requireTerritory } from './scopes.js';

export const bookingDetailResponseSchema = z.object({ booking: bookingDetailSchema });
export type BookingDetailResponse = z.infer<typeof bookingDetailResponseSchema>;

// Not strict: the upgrade-friendly `?token=` may ride along.
export const listBookingsQuerySchema = z.object({
  status: z.enum(BOOKING_STATUSES).optional(),
  territory: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a territory id').optional(),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'Bookings starting at or after this instant' }),
  until: z.iso.datetime({ offset: true }).optional().meta({ description: 'Bookings starting before this instant' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).meta({ example: { status: 'booked', from: '2026-03-10T00:00:00+01:00', limit: 50 } });
export type ListBookingsQuery = z.infer<typeof listBookingsQuerySchema>;

export const bookingListSchema = z.object({ bookings: z.array(bookingDetailSchema) });
export type BookingList = z.infer<typeof bookingListSchema>;

export async function getBooking(ctx: UseCaseContext, actor: Actor, id: string): Promise<BookingDetailResponse> {
  return { booking: bookingDetail(await findVisibleBooking(ctx, actor.client, id), true) };
}

/** Earliest first; each client sees only what visibleTo allows. */
export async function listBookings(ctx: UseCaseContext, actor: Actor, query: ListBookingsQuery): Promise<BookingList> {
  if (query.territory !== undefined) requireTerritory(actor.client, query.territory);
  const bookings = await ctx.bookings.listVisible(actor.client, {
    territory: query.territory,
    status: query.status,
    from: query.from !== undefined ? new Date(query.from) : undefined,
    until: query.until !== undefined ? new Date(query.until) : undefined,
    limit: query.limit,
  });
  return { bookings: bookings.map((booking) => bookingDetail(booking, true)) };
}
