// Coordinator endpoints act only on their own territories; an id from another
// territory is answered as missing, like everywhere else.
import { requireRole } from '../scopes.js';
import type { AuthenticatedClient } from '../client.js';
import type { UseCaseContext } from '../context.js';
import { ApiProblem } from '../problem.js';

export const ADMIN_ROLES = ['coordinator'] as const;

export function requireCoordinator(client: AuthenticatedClient): void {
  requireRole(client, ADMIN_ROLES);
}

export const notFoundAt = (what: string, id: string, field: string) =>
  new ApiProblem(404, 'not-found', 'Not found', `${what} ${id} not found`, { errors: [{ field, message: `no such ${what} in your territories` }] });

export async function professionalInScope(ctx: UseCaseContext, client: AuthenticatedClient, id: string, field: string) {
  const row = await ctx.directory.professional(id);
  if (row === undefined || !client.territories.includes(row.territory_id)) throw notFoundAt('professional', id, field);
  return row;
}

export async function siteOfProfessional(ctx: UseCaseContext, professionalId: string, siteId: string, field: string) {
  const site = await ctx.directory.site(siteId);
  if (site === undefined || site.professional_id !== professionalId) throw notFoundAt('site', siteId, field);
  return site;
}

export const TERRITORY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
