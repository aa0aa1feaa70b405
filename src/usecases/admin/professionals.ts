// Coordinator: the professionals of a territory (identity by RPPS, checked).
import { z } from 'zod';
import { requireTerritory } from '../scopes.js';
import { MODALITIES, PROFESSIONS } from '../../core/domain.js';
import { isValidRpps } from '../../core/rpps.js';
import type { Actor } from '../actor.js';
import type { UseCaseContext } from '../context.js';
import type { ProfessionalRecord } from './directory-store.js';
import { ApiProblem, validationProblem } from '../problem.js';
import { professionalInScope, requireCoordinator, TERRITORY_ID } from './scope.js';
import { plainText } from '../../core/text.js';

const name = plainText().trim().min(1).max(100);
const skills = z.array(z.string().trim().min(1).max(64).regex(/^[a-z0-9-]+$/, 'a lowercase skill code, e.g. paediatrics')).max(20);
const modalities = z.array(z.enum(MODALITIES)).min(1).max(MODALITIES.length);

export const createProfessionalSchema = z.strictObject({
  territory: z.string().regex(TERRITORY_ID, 'must be a territory id'),
  rpps: z.string().regex(/^\d{11}$/, 'must be 11 digits').refine(isValidRpps, 'invalid RPPS number (bad check digit)'),
  familyName: name,
  givenName: name,
  profession: z.enum(PROFESSIONS),
  skills: skills.default([]),
  modalities: modalities.default(['office']),
}).meta({ example: { territory: 'venissieux', rpps: '10000000014', familyName: 'Martin', givenName: 'Anne', profession: 'gp', skills: ['paediatrics'], modalities: ['office', 'video'] } });
export type CreateProfessionalInput = z.infer<typeof createProfessionalSchema>;

export const updateProfessionalSchema = z.strictObject({
  familyName: name.optional(),
  givenName: name.optional(),
  skills: skills.optional(),
  modalities: modalities.optional(),
  active: z.boolean().optional().meta({ description: 'false stops materialising new slots; POST …/unavailable withdraws existing ones' }),
}).meta({ example: { skills: ['paediatrics', 'sutures'] } });
export type UpdateProfessionalInput = z.infer<typeof updateProfessionalSchema>;

export const professionalViewSchema = z.object({
  id: z.uuid(), rpps: z.string(),
  territory: z.string().meta({ description: 'The home territory: the CPTS that manages the record' }),
  territories: z.array(z.string()).meta({ description: 'Every territory (CPTS) the professional serves, the home among them; its slots are offered in each' }),
  familyName: z.string(), givenName: z.string(),
  profession: z.enum(PROFESSIONS), skills: z.array(z.string()), modalities: z.array(z.enum(MODALITIES)), active: z.boolean(),
});
export const professionalResponseSchema = z.object({ professional: professionalViewSchema });
// The listing carries each professional's sites: a band (POST /v1/admin/bands) needs a site id.
export const professionalListSchema = z.object({
  professionals: z.array(professionalViewSchema.extend({
    sites: z.array(z.object({ id: z.uuid(), label: z.string().nullable(), commune: z.string() })).meta({ description: 'Practice sites, for a band or an ad-hoc slot' }),
  })),
});
export type ProfessionalResponse = z.infer<typeof professionalResponseSchema>;

function view(p: ProfessionalRecord): z.infer<typeof professionalViewSchema> {
  return { id: p.id, rpps: p.rpps, territory: p.territory_id, territories: p.territories, familyName: p.family_name, givenName: p.given_name, profession: p.profession, skills: p.skills, modalities: p.modalities, active: p.active };
}

export async function createProfessional(ctx: UseCaseContext, actor: Actor, input: CreateProfessionalInput): Promise<ProfessionalResponse> {
  requireCoordinator(actor.client);
  requireTerritory(actor.client, input.territory);
  try {
    const row = await ctx.directory.createProfessional(actor, {
      rpps: input.rpps, territory: input.territory, familyName: input.familyName, givenName: input.givenName,
      profession: input.profession, skills: input.skills, modalities: input.modalities,
    });
    return { professional: view(row) };
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new ApiProblem(409, 'rpps-taken', 'RPPS already registered', `a professional with RPPS ${input.rpps} already exists`, { errors: [{ field: 'rpps', message: 'already registered' }] });
    }
    throw error;
  }
}

export async function updateProfessional(ctx: UseCaseContext, actor: Actor, id: string, input: UpdateProfessionalInput): Promise<ProfessionalResponse> {
  requireCoordinator(actor.client);
  await professionalInScope(ctx, actor.client, id, 'id');
  const set = {
    ...(input.familyName !== undefined ? { family_name: input.familyName } : {}),
    ...(input.givenName !== undefined ? { given_name: input.givenName } : {}),
    ...(input.skills !== undefined ? { skills: input.skills } : {}),
    ...(input.modalities !== undefined ? { modalities: input.modalities } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
  };
  if (Object.keys(set).length === 0) throw validationProblem([{ field: '', message: 'nothing to change' }]);
  const row = await ctx.directory.updateProfessional(actor, id, set, Object.keys(input));
  return { professional: view(row) };
}

export const listProfessionalsQuerySchema = z.object({
  territory: z.string().regex(TERRITORY_ID, 'must be a territory id').optional(),
});

export async function listProfessionals(ctx: UseCaseContext, actor: Actor, query: z.infer<typeof listProfessionalsQuerySchema>) {
  requireCoordinator(actor.client);
  if (query.territory !== undefined) requireTerritory(actor.client, query.territory);
  const territories = query.territory !== undefined ? [query.territory] : actor.client.territories;
  const rows = await ctx.directory.professionalsOf(territories);
  const sites = await ctx.directory.sitesOf(rows.map((r) => r.id));
  return {
    professionals: rows.map((p) => ({
      ...view(p),
      sites: sites.filter((s) => s.professional_id === p.id).map((s) => ({ id: s.id, label: s.label, commune: s.commune_code })),
    })),
  };
}
