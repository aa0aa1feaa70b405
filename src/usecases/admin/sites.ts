// Coordinator: where a professional practises (commune, and a point for distances).
import { z } from 'zod';
import type { Actor } from '../actor.js';
import type { UseCaseContext } from '../context.js';
import { COMMUNE_CODE, pointSchema } from '../match.js';
import { validationProblem } from '../problem.js';
import { professionalInScope, requireCoordinator } from './scope.js';
import { plainText } from '../../core/text.js';

export const createSiteSchema = z.strictObject({
  commune: z.string().regex(COMMUNE_CODE, 'must be an INSEE commune code (5 characters)'),
  label: plainText().trim().min(1).max(200).optional(),
  address: plainText().trim().min(1).max(300).optional(),
  point: pointSchema.optional().meta({ description: 'Defaults to the commune centre' }),
}).meta({ example: { commune: '69259', label: 'Cabinet du centre', point: { lat: 45.697, lon: 4.886 } } });
export type CreateSiteInput = z.infer<typeof createSiteSchema>;

export const siteResponseSchema = z.object({
  site: z.object({ id: z.uuid(), professionalId: z.uuid(), commune: z.string(), label: z.string().nullable(), address: z.string().nullable(), lat: z.number(), lon: z.number() }),
});
export type SiteResponse = z.infer<typeof siteResponseSchema>;

export async function createSite(ctx: UseCaseContext, actor: Actor, professionalId: string, input: CreateSiteInput): Promise<SiteResponse> {
  requireCoordinator(actor.client);
  await professionalInScope(ctx, actor.client, professionalId, 'id');
  const commune = await ctx.directory.commune(input.commune);
  if (commune === undefined) throw validationProblem([{ field: 'commune', message: `unknown commune ${input.commune}` }]);
  const point = input.point ?? { lat: commune.lat, lon: commune.lon };
  const row = await ctx.directory.createSite(actor, professionalId, {
    commune: input.commune, label: input.label ?? null, address: input.address ?? null, lat: point.lat, lon: point.lon,
  });
  return { site: { id: row.id, professionalId, commune: row.commune_code, label: row.label, address: row.address, lat: row.lat, lon: row.lon } };
}
