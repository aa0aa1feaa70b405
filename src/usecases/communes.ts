// The communes a territory serves, for a counter to find the patient's commune
// by name or postal code (the match takes its INSEE code). Read from the
// territory directory held in memory: no database round trip.
import { z } from 'zod';
import type { AuthenticatedClient } from './client.js';
import type { UseCaseContext } from './context.js';
import { ApiProblem } from './problem.js';
import { requireRole, requireTerritory } from './scopes.js';
import { TRIAGE_ROLES } from './triage.js';

export const communeListSchema = z.object({
  territory: z.string(),
  communes: z.array(z.object({
    code: z.string().meta({ description: 'INSEE code, as /v1/match and /v1/requests take it' }),
    name: z.string(),
    postalCodes: z.array(z.string()).meta({ description: 'La Poste codes (empty when the commune is not in the INSEE data)' }),
    lat: z.number(),
    lon: z.number(),
  })),
}).meta({ example: { territory: 'venissieux', communes: [{ code: '69259', name: 'Vénissieux', postalCodes: ['69200'], lat: 45.697, lon: 4.886 }] } });
export type CommuneList = z.infer<typeof communeListSchema>;

/** Roles that triage and match: they need the commune's code. Sorted by name (French collation). */
export function listCommunes(ctx: UseCaseContext, client: AuthenticatedClient, territoryId: string): CommuneList {
  requireRole(client, TRIAGE_ROLES);
  requireTerritory(client, territoryId);
  if (ctx.territories.territory(territoryId) === undefined) {
    throw new ApiProblem(404, 'not-found', 'Not found', `territory ${territoryId} not found`, { errors: [{ field: 'id', message: 'no such territory' }] });
  }
  const communes = ctx.territories.communesOf(territoryId)
    .map((c) => ({ code: c.code, name: c.name, postalCodes: [...(c.postalCodes ?? [])], lat: c.lat, lon: c.lon }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  return { territory: territoryId, communes };
}
