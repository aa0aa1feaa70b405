// Coordinator: on-call bands. A new band is materialised into slots at once
// over the rolling horizon, so its slots are matchable as soon as it exists.
import { z } from 'zod';
import { MODALITIES } from '../../core/domain.js';
import { bandRuleProblems, bandsMayOverlap, type BandRule } from '../../core/time/index.js';
import type { Actor } from '../actor.js';
import type { UseCaseContext } from '../context.js';
import { ApiProblem, validationProblem } from '../problem.js';
import { professionalInScope, requireCoordinator, siteOfProfessional } from './scope.js';

const DAY = 86_400_000;

export const createBandSchema = z.strictObject({
  professionalId: z.uuid(),
  siteId: z.uuid(),
  daysOfWeek: z.array(z.number().int().min(1).max(7)).min(1).max(7).meta({ description: 'ISO weekdays: 1 = Monday … 7 = Sunday' }),
  localStart: z.string().regex(/^\d{2}:\d{2}$/, "must be 'HH:MM'"),
  localEnd: z.string().regex(/^\d{2}:\d{2}$/, "must be 'HH:MM'"),
  slotMinutes: z.number().int().min(5).max(240),
  modality: z.enum(MODALITIES),
  validFrom: z.iso.date(),
  validUntil: z.iso.date().nullable().default(null),
}).meta({
  example: { professionalId: '2b7c9d1e-0f3a-4b5c-8d6e-7f8091a2b3c4', siteId: '3c8d0e2f-1a4b-4c6d-9e7f-8091a2b3c4d5', daysOfWeek: [1, 2, 3, 4, 5], localStart: '14:00', localEnd: '20:00', slotMinutes: 20, modality: 'office', validFrom: '2026-03-01', validUntil: null },
});
export type CreateBandInput = z.infer<typeof createBandSchema>;

export const bandResponseSchema = z.object({
  band: z.object({
    id: z.uuid(), professionalId: z.uuid(), siteId: z.uuid(), daysOfWeek: z.array(z.number()), localStart: z.string(), localEnd: z.string(),
    slotMinutes: z.number(), modality: z.enum(MODALITIES), validFrom: z.string(), validUntil: z.string().nullable(),
  }),
  slotsCreated: z.number().int().meta({ description: 'Slots materialised now, over the rolling horizon' }),
});
export type BandResponse = z.infer<typeof bandResponseSchema>;

function ruleOf(b: { daysOfWeek: readonly number[]; localStart: string; localEnd: string; slotMinutes: number; validFrom: string; validUntil: string | null }): BandRule {
  return { daysOfWeek: b.daysOfWeek, localStart: b.localStart.slice(0, 5), localEnd: b.localEnd.slice(0, 5), slotMinutes: b.slotMinutes, validFrom: b.validFrom, validUntil: b.validUntil };
}

export async function createBand(ctx: UseCaseContext, actor: Actor, input: CreateBandInput, materialiseDays: number): Promise<BandResponse> {
  requireCoordinator(actor.client);
  const rule = ruleOf(input);
  const problems = bandRuleProblems(rule);
  if (problems.length > 0) throw validationProblem(problems.map((p) => ({ field: p.split(':')[0]!, message: p.slice(p.indexOf(':') + 1).trim() })));
  const professional = await professionalInScope(ctx, actor.client, input.professionalId, 'professionalId');
  await siteOfProfessional(ctx, professional.id, input.siteId, 'siteId');
  if (!professional.modalities.includes(input.modality)) {
    throw validationProblem([{ field: 'modality', message: `this professional offers ${professional.modalities.join(', ')}` }]);
  }
  // Slots of one professional never overlap (the database refuses it): say so now rather than silently skip slots.
  const others = await ctx.directory.activeBandsOf(professional.id);
  const clash = others.find((o) => bandsMayOverlap(rule, ruleOf({ daysOfWeek: o.days_of_week, localStart: o.local_start, localEnd: o.local_end, slotMinutes: o.slot_minutes, validFrom: o.valid_from, validUntil: o.valid_until })));
  if (clash !== undefined) {
    throw new ApiProblem(409, 'band-overlap', 'Band overlaps another', `this band may overlap band ${clash.id} of the same professional`, { errors: [{ field: 'daysOfWeek', message: `overlaps band ${clash.id}` }] });
  }

  const band = await ctx.directory.createBand(actor, {
    professionalId: professional.id, siteId: input.siteId, daysOfWeek: input.daysOfWeek, localStart: input.localStart,
    localEnd: input.localEnd, slotMinutes: input.slotMinutes, modality: input.modality, validFrom: input.validFrom, validUntil: input.validUntil,
  });
  // Idempotent and also done by the rolling horizon: a failure here is retried there.
  const now = ctx.now();
  const { inserted } = await ctx.directory.materialiseBand(band.id, new Date(now), new Date(now + materialiseDays * DAY));
  // Read-your-writes: the new slots are matchable here before we answer.
  if (inserted > 0) await ctx.sync.catchUp().catch(() => {});
  return {
    band: {
      id: band.id, professionalId: band.professional_id, siteId: band.site_id, daysOfWeek: band.days_of_week, localStart: band.local_start.slice(0, 5),
      localEnd: band.local_end.slice(0, 5), slotMinutes: band.slot_minutes, modality: band.modality, validFrom: band.valid_from, validUntil: band.valid_until,
    },
    slotsCreated: inserted,
  };
}
