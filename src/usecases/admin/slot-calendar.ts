// Coordinator: a territory's slots over a period (at most 8 days), with their
// professional and state — what the coordination page draws as the week of
// on-call bands, and where a slot is blocked or unblocked from.
import { z } from 'zod';
import { MODALITIES, PROFESSIONS, SLOT_STATUSES } from '../../core/domain.js';
import { formatApiDateTime } from '../../core/time/index.js';
import type { Actor } from '../actor.js';
import type { UseCaseContext } from '../context.js';
import { calendarQuerySchema, calendarWindow } from './calendar-window.js';

const MAX_SLOTS = 5_000;

export const slotCalendarQuerySchema = calendarQuerySchema('Slots starting at or after this instant', 'Slots starting before this instant');
export type SlotCalendarQuery = z.infer<typeof slotCalendarQuerySchema>;

export const slotCalendarSchema = z.object({
  slots: z.array(z.object({
    id: z.uuid(),
    start: z.string().meta({ description: 'ISO 8601 with the offset of the territory\'s zone' }),
    end: z.string(),
    modality: z.enum(MODALITIES),
    status: z.enum(SLOT_STATUSES).meta({ description: 'An expired hold is free' }),
    bandId: z.uuid().nullable().meta({ description: 'The on-call band it was cut from; null for an ad-hoc slot' }),
    professional: z.object({ id: z.uuid(), rpps: z.string(), name: z.string(), profession: z.enum(PROFESSIONS) }),
  })),
  truncated: z.boolean().meta({ description: `More than ${MAX_SLOTS} slots in the period: ask for a shorter one` }),
});
export type SlotCalendar = z.infer<typeof slotCalendarSchema>;

export async function slotCalendar(ctx: UseCaseContext, actor: Actor, query: SlotCalendarQuery): Promise<SlotCalendar> {
  const { from, until } = calendarWindow(actor.client, query);
  const rows = await ctx.directory.slotsOf(query.territory, new Date(from), new Date(until), MAX_SLOTS + 1);
  const now = ctx.now();
  return {
    slots: rows.slice(0, MAX_SLOTS).map((s) => ({
      id: s.id,
      start: formatApiDateTime(s.starts_at, s.time_zone),
      end: formatApiDateTime(s.ends_at, s.time_zone),
      modality: s.modality,
      status: s.status === 'held' && s.held_until !== null && s.held_until.getTime() <= now ? 'free' : s.status,
      bandId: s.band_id,
      professional: { id: s.professional_id, rpps: s.rpps, name: `${s.given_name} ${s.family_name}`, profession: s.profession },
    })),
    truncated: rows.length > MAX_SLOTS,
  };
}
