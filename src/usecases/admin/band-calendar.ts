// Coordinator: the week's on-call bands of its territories, or of one (what the
// coordination page lists): the bands of every professional serving them, home
// or member (migration 015); and cancelling one. A cancelled band's open slots
// are removed (or blocked, when a past hold or booking names them); a booked (or live-held) slot is never silently dropped: the
// cancellation is refused with a 409 naming the bookings, to be cancelled first.
import { z } from 'zod';
import { MODALITIES } from '../../core/domain.js';
import type { Actor } from '../actor.js';
import type { UseCaseContext } from '../context.js';
import { calendarQuerySchema, calendarWindow, DAY_MS } from './calendar-window.js';
import { ApiProblem } from '../problem.js';
import { notFoundAt, requireCoordinator, TERRITORY_ID } from './scope.js';


// Without `territory`: every territory the coordinator serves (the page's « Tous mes territoires »).
export const bandListQuerySchema = calendarQuerySchema('Bands valid on some day at or after this instant', 'Bands valid before this instant').extend({
  territory: z.string().regex(TERRITORY_ID, 'must be a territory id').optional()
    .meta({ description: 'One of your territories; omitted: all of them' }),
});
export type BandListQuery = z.infer<typeof bandListQuerySchema>;

export const bandListSchema = z.object({
  bands: z.array(z.object({
    id: z.uuid(),
    daysOfWeek: z.array(z.number()).meta({ description: 'ISO weekdays: 1 = Monday … 7 = Sunday' }),
    localStart: z.string(), localEnd: z.string(), slotMinutes: z.number(), modality: z.enum(MODALITIES),
    validFrom: z.string(), validUntil: z.string().nullable(),
    territory: z.string().meta({ description: "The band's territory: its professional's home, whose coordinators edit and cancel it" }),
    territories: z.array(z.string()).meta({ description: 'Every territory its professional serves (migration 015), where its slots are offered' }),
    professional: z.object({ id: z.uuid(), rpps: z.string(), name: z.string() }),
    site: z.object({ id: z.uuid(), label: z.string().nullable(), commune: z.string() }),
  })),
});
export type BandList = z.infer<typeof bandListSchema>;

export const cancelBandResponseSchema = z.object({
  band: z.object({ id: z.uuid(), active: z.literal(false) }),
  slotsRemoved: z.number().int().meta({ description: 'Open slots (free, blocked, expired hold) from now on, deleted' }),
  slotsKeptBlocked: z.number().int().meta({ description: 'Open slots a past hold or booking referenced: kept for the record, blocked' }),
});
export type CancelBandResponse = z.infer<typeof cancelBandResponseSchema>;

export async function listBands(ctx: UseCaseContext, actor: Actor, query: BandListQuery): Promise<BandList> {
  const { from, until } = calendarWindow(actor.client, query);
  // Validity is in local dates and every zone is within a day of UTC: a day's margin each side
  // lists every band valid on some local day of the period (the page draws only what falls in it).
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const territories = query.territory === undefined ? actor.client.territories : [query.territory];
  const rows = await ctx.directory.bandsOf(territories, day(from - DAY_MS), day(until + DAY_MS));
  return {
    bands: rows.map((b) => ({
      id: b.id, daysOfWeek: b.days_of_week, localStart: b.local_start.slice(0, 5), localEnd: b.local_end.slice(0, 5), slotMinutes: b.slot_minutes,
      modality: b.modality, validFrom: b.valid_from, validUntil: b.valid_until, territory: b.territory_id, territories: b.territories,
      professional: { id: b.professional_id, rpps: b.rpps, name: `${b.given_name} ${b.family_name}` },
      site: { id: b.site_id, label: b.site_label, commune: b.commune_code },
    })),
  };
}

export async function cancelBand(ctx: UseCaseContext, actor: Actor, id: string): Promise<CancelBandResponse> {
  requireCoordinator(actor.client);
  const band = await ctx.directory.band(id);
  const professional = band === undefined ? undefined : await ctx.directory.professional(band.professional_id);
  if (band === undefined || !band.active || professional === undefined || !actor.client.territories.includes(professional.territory_id)) {
    throw notFoundAt('band', id, 'id');
  }
  const outcome = await ctx.directory.cancelBand(actor, id, new Date(ctx.now()));
  if (!outcome.cancelled) {
    const named = [...outcome.bookings.map((b) => `booking ${b}`), ...outcome.heldSlots.map((s) => `held slot ${s}`)];
    throw new ApiProblem(409, 'band-has-bookings', 'Band has bookings',
      `cancel these first (a booking with POST /v1/bookings/{id}/cancel, or mark the professional unavailable): ${named.join(', ')}`,
      { bookings: outcome.bookings, heldSlots: outcome.heldSlots, errors: [{ field: 'id', message: `${named.length} booked or held slot(s) remain` }] });
  }
  // Read-your-writes: the removed slots are no longer matchable when we answer.
  if (outcome.slotsRemoved + outcome.newlyBlocked > 0) await ctx.sync.catchUp().catch(() => {});
  return { band: { id, active: false }, slotsRemoved: outcome.slotsRemoved, slotsKeptBlocked: outcome.slotsKeptBlocked };
}
