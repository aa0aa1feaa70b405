// Issuing and revoking API clients: the token is made here and shown once;
// the database only ever sees its hash.
import type { Kysely } from 'kysely';
import { findClientByTokenHash, insertClient, type NewClient } from '../db/api-clients.js';
import type { Database } from '../db/schema.js';
import type { AuthenticatedClient } from '../usecases/client.js';
import { generateToken, hashToken } from './token.js';

export { ClientInputError, revokeClient, type NewClient } from '../db/api-clients.js';

/** Creates a client and returns its token, the only time the token exists in clear. */
export async function createClient(db: Kysely<Database>, input: NewClient): Promise<{ id: string; token: string }> {
  const token = generateToken();
  const { id } = await insertClient(db, input, hashToken(token));
  return { id, token };
}

/** The client a token names, straight from the database (no cache: see Authenticator). */
export async function findClientByToken(db: Kysely<Database>, token: string): Promise<AuthenticatedClient | null> {
  return findClientByTokenHash(db, hashToken(token));
}
