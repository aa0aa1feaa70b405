// Coordinator: who may use the counter — the people (web app accounts) of the
// coordinator's territories, in the counter roles. A person's login is what
// the OpenID provider says it is: the RPPS with Pro Santé Connect, a local
// login (with a password) on the embedded provider.
import { z } from 'zod';
import { plainText } from '../../core/text.js';
import type { AuthenticatedClient } from '../client.js';
import { ApiProblem } from '../problem.js';
import { requireTerritory } from '../scopes.js';
import { notFoundAt, requireCoordinator, TERRITORY_ID } from './scope.js';

export const COUNTER_ROLES = ['pharmacist', 'regulator'] as const;

export const createPersonSchema = z.strictObject({
  login: z.string().trim().min(3).max(200).regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only (an RPPS with Pro Santé Connect)'),
  name: plainText().trim().min(1).max(200),
  role: z.enum(COUNTER_ROLES),
  territories: z.array(z.string().regex(TERRITORY_ID, 'must be a territory id')).min(1).max(20),
  // A passphrase is typed, never pasted binary: printable characters of any script, no controls (NUL would be a 500 in PostgreSQL).
  password: plainText().min(12).max(200).optional().meta({ description: 'for the embedded OpenID provider only; omitted with Pro Santé Connect' }),
}).meta({ example: { login: 'pharmacie.gare', name: 'Pharmacie de la Gare', role: 'pharmacist', territories: ['venissieux'], password: 'a long passphrase' } });
export type CreatePersonInput = z.infer<typeof createPersonSchema>;

export const personViewSchema = z.object({
  id: z.uuid(), login: z.string(), name: z.string(), role: z.string(), territories: z.array(z.string()), disabled: z.boolean(),
});
export type PersonView = z.infer<typeof personViewSchema>;
export const peopleListSchema = z.object({ people: z.array(personViewSchema) });
export const peopleQuerySchema = z.strictObject({ territory: z.string().regex(TERRITORY_ID, 'must be a territory id') });

/** Where people are kept (src/auth/web-login.ts over src/db/people.ts). */
export interface PeopleStore {
  list(territory: string): Promise<PersonView[]>;
  /** null when the login is taken. */
  create(input: CreatePersonInput): Promise<PersonView | null>;
  /** Disables a person whose territories are all among `territories`; false when there is none such. */
  disable(id: string, territories: readonly string[]): Promise<boolean>;
}

export async function listPeopleOf(store: PeopleStore, client: AuthenticatedClient, territory: string): Promise<{ people: PersonView[] }> {
  requireCoordinator(client);
  requireTerritory(client, territory);
  return { people: await store.list(territory) };
}

export async function addPerson(store: PeopleStore, client: AuthenticatedClient, input: CreatePersonInput): Promise<{ person: PersonView }> {
  requireCoordinator(client);
  for (const territory of input.territories) requireTerritory(client, territory);
  const person = await store.create(input);
  if (person === null) throw new ApiProblem(409, 'login-taken', 'Login already registered', `a person with login ${input.login} already exists`, { errors: [{ field: 'login', message: 'already registered' }] });
  return { person };
}

export async function disablePersonOf(store: PeopleStore, client: AuthenticatedClient, id: string): Promise<void> {
  requireCoordinator(client);
  if (!await store.disable(id, client.territories)) throw notFoundAt('person', id, 'id');
}
