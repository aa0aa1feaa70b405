// Coordinator: editing an on-call band in place (its hours, days, dates, slot
// length, site or modality). Its open slots from now on are made to match the
// edited band and its new slots materialised at once, like a new band's. A
// booked slot is never touched: one the edited band no longer covers stays
// booked, and the answer names its booking (to keep, or cancel with the patient).
import { z } from 'zod';
import { MODALITIES } from '../../core/domain.js';
import { bandRuleProblems, bandsMayOverlap, type BandRule } from '../../core/time/index.js';
import type { Actor } from '../actor.js';
import type { UseCaseContext } from '../context.js';
import { ApiProblem, validationProblem } from '../problem.js';
import { bandResponseSchema } from './bands.js';
import { notFoundAt, requireCoordinator, siteOfProfessional } from './scope.js';

const DAY = 86_400_000;
const HHMM = /^\d{2}:\d{2}$/;

export const updateBandSchema = z.strictObject({
  siteId: z.uuid().optional(),
  daysOfWeek: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional().meta({ description: 'ISO weekdays: 1 = Monday … 7 = Sunday' }),
  localStart: z.string().regex(HHMM, "must be 'HH:MM'").optional(),
  localEnd: z.string().regex(HHMM, "must be 'HH:MM'").optional(),
  slotMinutes: z.number().int().min(5).max(240).optional(),
  modality: z.enum(MODALITIES).optional(),
  validFrom: z.iso.date().optional(),
  validUntil: z.iso.date().nullable().optional(),
}).refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' })
  .meta({ example: { localStart: '13:00', localEnd: '19:00', slotMinutes: 30 } });
export type UpdateBandInput = z.infer<typeof updateBandSchema>;

export const updateBandResponseSchema = bandResponseSchema.extend({
  slotsCreated: z.number().int().meta({ description: 'Slots of the edited band materialised now, over the rolling horizon' }),
  slotsRemoved: z.number().int().meta({ description: 'Open slots from now on (free, blocked, expired hold) the edited band no longer has, deleted' }),
  slotsKeptBlocked: z.number().int().meta({ description: 'Of those, slots a past hold or booking referenced: kept for the record, blocked' }),
  bookedSlotsKept: z.number().int().meta({ description: 'Booked slots from now on that fall outside the edited band: kept booked, never moved nor cancelled' }),
  bookingsKept: z.array(z.uuid()).meta({ description: 'Their bookings: keep them, or cancel them (POST /v1/bookings/{id}/cancel) after telling the patient' }),
});
export type UpdateBandResponse = z.infer<typeof updateBandResponseSchema>;

const ruleOf = (b: { days_of_week: number[]; local_start: string; local_end: string; slot_minutes: number; valid_from: string; valid_until: string | null }): BandRule => ({
  daysOfWeek: b.days_of_week, localStart: b.local_start.slice(0, 5), localEnd: b.local_end.slice(0, 5), slotMinutes: b.slot_minutes, validFrom: b.valid_from, validUntil: b.valid_until,
});

export async function updateBand(ctx: UseCaseContext, actor: Actor, id: string, input: UpdateBandInput, materialiseDays: number): Promise<UpdateBandResponse> {
  requireCoordinator(actor.client);
  // Same scope as cancelling: a band of a professional whose home is one of your territories.
  const band = await ctx.directory.band(id);
  const professional = band === undefined ? undefined : await ctx.directory.professional(band.professional_id);
  if (band === undefined || !band.active || professional === undefined || !actor.client.territories.includes(professional.territory_id)) {
    throw notFoundAt('band', id, 'id');
  }
  const next = {
    siteId: input.siteId ?? band.site_id, daysOfWeek: input.daysOfWeek ?? band.days_of_week,
    localStart: input.localStart ?? band.local_start.slice(0, 5), localEnd: input.localEnd ?? band.local_end.slice(0, 5),
    slotMinutes: input.slotMinutes ?? band.slot_minutes, modality: input.modality ?? band.modality,
    validFrom: input.validFrom ?? band.valid_from, validUntil: input.validUntil === undefined ? band.valid_until : input.validUntil,
  };
  const rule: BandRule = { daysOfWeek: next.daysOfWeek, localStart: next.localStart, localEnd: next.localEnd, slotMinutes: next.slotMinutes, validFrom: next.validFrom, validUntil: next.validUntil };
  const problems = bandRuleProblems(rule);
  if (problems.length > 0) throw validationProblem(problems.map((p) => ({ field: p.split(':')[0]!, message: p.slice(p.indexOf(':') + 1).trim() })));
  if (input.siteId !== undefined) await siteOfProfessional(ctx, professional.id, input.siteId, 'siteId');
  if (!professional.modalities.includes(next.modality)) {
    throw validationProblem([{ field: 'modality', message: `this professional offers ${professional.modalities.join(', ')}` }]);
  }
  const others = (await ctx.directory.activeBandsOf(professional.id)).filter((o) => o.id !== id);
  const clash = others.find((o) => bandsMayOverlap(rule, ruleOf(o)));
  if (clash !== undefined) {
    throw new ApiProblem(409, 'band-overlap', 'Band overlaps another', `the edited band may overlap band ${clash.id} of the same professional`, { errors: [{ field: 'daysOfWeek', message: `overlaps band ${clash.id}` }] });
  }

  const now = ctx.now();
  const outcome = await ctx.directory.updateBand(actor, id, next, Object.keys(input), new Date(now), new Date(now + materialiseDays * DAY));
  if (!outcome.updated) {
    throw new ApiProblem(409, 'band-slot-held', 'A slot the edit removes is being held',
      `a patient is deciding on ${outcome.heldSlots.length} slot(s) the edited band no longer has (held slot ${outcome.heldSlots.join(', ')}): retry once the hold ends (a few minutes)`,
      { heldSlots: outcome.heldSlots, errors: [{ field: 'id', message: `${outcome.heldSlots.length} held slot(s) outside the edited band` }] });
  }
  // Read-your-writes: removed slots are gone and new ones matchable here before we answer.
  if (outcome.slotsCreated + outcome.slotsRemoved + outcome.newlyBlocked > 0) await ctx.sync.catchUp().catch(() => {});
  const b = outcome.band;
  return {
    band: {
      id: b.id, professionalId: b.professional_id, siteId: b.site_id, daysOfWeek: b.days_of_week, localStart: b.local_start.slice(0, 5),
      localEnd: b.local_end.slice(0, 5), slotMinutes: b.slot_minutes, modality: b.modality, validFrom: b.valid_from, validUntil: b.valid_until,
    },
    slotsCreated: outcome.slotsCreated, slotsRemoved: outcome.slotsRemoved, slotsKeptBlocked: outcome.slotsKeptBlocked,
    bookedSlotsKept: outcome.bookingsKept.length, bookingsKept: outcome.bookingsKept,
  };
}
