// Who may do what: a role, the territories a client is scoped to, and for a
// professional its own RPPS only.
import type { AuthenticatedClient, Role } from './client.js';
import { ApiProblem } from './problem.js';

export function requireRole(client: AuthenticatedClient, roles: readonly Role[]): void {
  if (!roles.includes(client.role)) {
    throw new ApiProblem(403, 'forbidden-role', 'Forbidden', `the ${client.role} role cannot do this (allowed: ${roles.join(', ')})`);
  }
}

export function requireTerritory(client: AuthenticatedClient, territoryId: string): void {
  if (!client.territories.includes(territoryId)) {
    throw new ApiProblem(403, 'forbidden-territory', 'Forbidden', `this client is not scoped to territory ${territoryId}`);
  }
}

/** The territory a client acts in when it does not say: its only one, else it must say. */
export function defaultTerritory(client: AuthenticatedClient): string | undefined {
  return client.territories.length === 1 ? client.territories[0] : undefined;
}
