// API clients: who may call us, in which role and for which territories.
import type { Kysely } from 'kysely';
import { isValidRpps } from '../core/rpps.js';
import type { AuthenticatedClient, Role } from '../usecases/client.js';
import type { Database } from './schema.js';

export interface NewClient {
  role: Role;
  territories: string[];
  rpps?: string | undefined;
  name?: string | undefined;
  expiresAt?: Date | undefined;
}

export class ClientInputError extends Error {
  override name = 'ClientInputError';
}

/** Stores a client under its token's hash (src/auth/clients.ts makes the token); null: a certificate client (src/db/api-client-certificates.ts). */
export async function insertClient(db: Kysely<Database>, input: NewClient, tokenHash: Buffer | null): Promise<{ id: string }> {
  if (input.territories.length === 0) throw new ClientInputError('at least one territory is required');
  const known = await db.selectFrom('territories').select('id').where('id', 'in', input.territories).execute();
  const missing = input.territories.filter((id) => !known.some((k) => k.id === id));
  if (missing.length > 0) throw new ClientInputError(`unknown territory: ${missing.join(', ')}`);

  let professionalId: string | null = null;
  if (input.role === 'professional') {
    if (input.rpps === undefined) throw new ClientInputError('--rpps is required for a professional client');
    if (!isValidRpps(input.rpps)) throw new ClientInputError(`invalid RPPS number: ${input.rpps}`);
    const professional = await db.selectFrom('professionals').select(['id', 'territory_id'])
      .where('rpps', '=', input.rpps).executeTakeFirst();
    if (professional === undefined) throw new ClientInputError(`no professional with RPPS ${input.rpps}`);
    // Any territory it serves (its home or a membership, migration 015) will do.
    const serves = await db.selectFrom('professional_territories').select('territory_id')
      .where('professional_id', '=', professional.id).where('territory_id', 'in', input.territories).executeTakeFirst();
    if (!input.territories.includes(professional.territory_id) && serves === undefined) {
      throw new ClientInputError(`professional ${input.rpps} belongs to territory ${professional.territory_id}`);
    }
    professionalId = professional.id;
  } else if (input.rpps !== undefined) {
    throw new ClientInputError('--rpps only applies to the professional role');
  }

  const row = await db.insertInto('api_clients').values({
    name: input.name ?? `${input.role} ${input.territories.join(',')}`.slice(0, 200),
    role: input.role,
    territories: input.territories,
    professional_id: professionalId,
    token_hash: tokenHash,
    expires_at: input.expiresAt ?? null,
    revoked_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id };
}

export async function findClientByTokenHash(db: Kysely<Database>, tokenHash: Buffer, now = new Date()): Promise<AuthenticatedClient | null> {
  const row = await clientRows(db).where('c.token_hash', '=', tokenHash).executeTakeFirst();
  return row === undefined ? null : liveClient(row, now);
}

/** The clients as they stand now, by id (absent: revoked, expired or deleted), to re-check credentials already in use. */
export async function findClientsById(db: Kysely<Database>, ids: readonly string[], now = new Date()): Promise<Map<string, AuthenticatedClient>> {
  const found = new Map<string, AuthenticatedClient>();
  if (ids.length === 0) return found;
  const rows = await clientRows(db).where('c.id', 'in', ids).execute();
  for (const row of rows) {
    const client = liveClient(row, now);
    if (client !== null) found.set(client.id, client);
  }
  return found;
}

export function clientRows(db: Kysely<Database>) {
  return db.selectFrom('api_clients as c')
    .leftJoin('professionals as p', 'p.id', 'c.professional_id')
    .select(['c.id', 'c.name', 'c.role', 'c.territories', 'c.professional_id', 'c.expires_at', 'c.revoked_at', 'p.rpps']);
}

export type ClientRow = Awaited<ReturnType<ReturnType<typeof clientRows>['executeTakeFirstOrThrow']>>;

export function liveClient(row: ClientRow, now: Date): AuthenticatedClient | null {
  if (row.revoked_at !== null) return null;
  if (row.expires_at !== null && row.expires_at <= now) return null;
  return { id: row.id, name: row.name, role: row.role, territories: row.territories, professionalId: row.professional_id, rpps: row.rpps, expiresAt: row.expires_at };
}

export async function revokeClient(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.updateTable('api_clients').set({ revoked_at: new Date() })
    .where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
