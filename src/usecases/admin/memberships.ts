// Coordinator: the professionals a CPTS counts as members besides those it
// manages (issue 14: a professional may serve several CPTS). A territory's
// coordinator adds or removes members of ITS territory, naming them by RPPS
// (a professional managed elsewhere has no id it could know); the home
// territory (the CPTS that manages the record) stays a membership while it is
// the home. Each change is audited, and reaches every instance's index through
// the professional's open slots (migration 015).
import { z } from 'zod';
import { isValidRpps } from '../../core/rpps.js';
import type { Actor } from '../actor.js';
import type { UseCaseContext } from '../context.js';
import { ApiProblem } from '../problem.js';
import { requireTerritory } from '../scopes.js';
import type { ProfessionalRecord } from './directory-store.js';
import { notFoundAt, requireCoordinator, TERRITORY_ID } from './scope.js';

const rpps = z.string().regex(/^\d{11}$/, 'must be 11 digits').refine(isValidRpps, 'invalid RPPS number (bad check digit)');

/** `id`: the territory, as in /v1/territories/:id. */
export const territoryParamsSchema = z.object({ id: z.string().regex(TERRITORY_ID, 'must be a territory id') });
export const memberParamsSchema = territoryParamsSchema.extend({ rpps });
export const addMemberSchema = z.strictObject({ rpps }).meta({ example: { rpps: '10000000014' } });

export const membershipResponseSchema = z.object({
  membership: z.object({
    territory: z.string(),
    professional: z.object({ id: z.uuid(), rpps: z.string(), familyName: z.string(), givenName: z.string() }),
    home: z.string().meta({ description: 'The territory that manages the professional\'s record' }),
    territories: z.array(z.string()).meta({ description: 'Every territory the professional now serves' }),
    changed: z.boolean().meta({ description: 'false: it was already so (the call is idempotent)' }),
  }),
});
export type MembershipResponse = z.infer<typeof membershipResponseSchema>;

function view(territory: string, p: ProfessionalRecord, changed: boolean): MembershipResponse {
  return { membership: { territory, professional: { id: p.id, rpps: p.rpps, familyName: p.family_name, givenName: p.given_name }, home: p.territory_id, territories: p.territories, changed } };
}

async function memberTarget(ctx: UseCaseContext, actor: Actor, territory: string, rppsNumber: string, rppsField: string): Promise<ProfessionalRecord> {
  requireCoordinator(actor.client);
  requireTerritory(actor.client, territory);
  if (ctx.territories.territory(territory) === undefined) throw notFoundAt('territory', territory, 'id');
  const professional = await ctx.directory.professionalByRpps(rppsNumber);
  if (professional === undefined) throw new ApiProblem(404, 'not-found', 'Not found', `no professional with RPPS ${rppsNumber}`, { errors: [{ field: rppsField, message: 'no such professional' }] });
  return professional;
}

/** 201 when added, 200 when the professional already served the territory. */
export async function addMember(ctx: UseCaseContext, actor: Actor, territory: string, input: { rpps: string }): Promise<{ status: 200 | 201; body: MembershipResponse }> {
  const professional = await memberTarget(ctx, actor, territory, input.rpps, 'rpps');
  const added = await ctx.directory.addMembership(actor, professional.id, territory);
  const fresh = (await ctx.directory.professional(professional.id)) ?? professional;
  return { status: added ? 201 : 200, body: view(territory, fresh, added) };
}

export async function removeMember(ctx: UseCaseContext, actor: Actor, territory: string, rppsNumber: string): Promise<MembershipResponse> {
  const professional = await memberTarget(ctx, actor, territory, rppsNumber, 'rpps');
  if (professional.territory_id === territory) {
    throw new ApiProblem(409, 'home-territory', 'Home territory', `territory ${territory} manages this professional's record; it cannot stop being a member`,
      { errors: [{ field: 'id', message: 'the professional\'s home territory' }] });
  }
  if (!professional.territories.includes(territory)) throw notFoundAt('member', rppsNumber, 'rpps');
  const removed = await ctx.directory.removeMembership(actor, professional.id, territory);
  const fresh = (await ctx.directory.professional(professional.id)) ?? professional;
  return view(territory, fresh, removed);
}
