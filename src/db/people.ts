// People (web app users) and their API client: a person is created with a
// client of its own, so that its holds, bookings and requests carry a client id
// like every other caller's, and its role and territories follow the same rules.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AuthenticatedClient } from '../usecases/client.js';
import { findClientsById, insertClient, revokeClient, type NewClient } from './api-clients.js';
import type { Database } from './schema.js';

export interface NewPerson extends NewClient {
  login: string;
  name: string;
  /** scrypt hash (src/auth/passwords.ts), for the embedded OpenID provider only. */
  passwordHash?: string | undefined;
}

export interface Person {
  id: string;
  login: string;
  name: string;
  clientId: string;
  passwordHash: string | null;
}

export async function insertPerson(db: Kysely<Database>, input: NewPerson): Promise<Person> {
  return db.transaction().execute(async (tx) => {
    // No token exists for a person's client: its hash is of nothing anyone holds.
    const { id: clientId } = await insertClient(tx, { ...input, name: input.name }, randomBytes(32));
    const row = await tx.insertInto('people').values({
      login: input.login, name: input.name, client_id: clientId, password_hash: input.passwordHash ?? null,
    }).returning('id').executeTakeFirstOrThrow();
    return { id: row.id, login: input.login, name: input.name, clientId, passwordHash: input.passwordHash ?? null };
  });
}

/** An enabled person by login (null: unknown or disabled). */
export async function findPersonByLogin(db: Kysely<Database>, login: string): Promise<Person | null> {
  const row = await db.selectFrom('people').select(['id', 'login', 'name', 'client_id', 'password_hash'])
    .where('login', '=', login).where('disabled_at', 'is', null).executeTakeFirst();
  return row === undefined ? null : { id: row.id, login: row.login, name: row.name, clientId: row.client_id, passwordHash: row.password_hash };
}

export async function countPeople(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('people').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface PersonSummary { id: string; login: string; name: string; role: string; territories: string[]; disabled: boolean }

/** The people whose territories include `territory`. */
export async function listPeople(db: Kysely<Database>, territory: string): Promise<PersonSummary[]> {
  const rows = await db.selectFrom('people as p').innerJoin('api_clients as c', 'c.id', 'p.client_id')
    .select(['p.id', 'p.login', 'p.name', 'c.role', 'c.territories', 'p.disabled_at'])
    .where((eb) => eb(eb.val(territory), '=', eb.fn.any('c.territories'))).orderBy('p.login').execute();
  return rows.map((r) => ({ id: r.id, login: r.login, name: r.name, role: r.role, territories: r.territories, disabled: r.disabled_at !== null }));
}

/** Disables a person whose territories are all within `allowed`: its client is revoked (sockets close, sql/008), its sessions end. */
export async function disablePerson(db: Kysely<Database>, personId: string, allowed: readonly string[]): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.updateTable('people as p').from('api_clients as c').set({ disabled_at: new Date() })
      .whereRef('c.id', '=', 'p.client_id').where('p.id', '=', personId).where('p.disabled_at', 'is', null)
      .where(sql<boolean>`c.territories <@ ${sql.val([...allowed])}::text[]`)
      .returning('p.client_id').executeTakeFirst();
    if (row === undefined) return false;
    await tx.updateTable('person_sessions').set({ ended_at: new Date() }).where('person_id', '=', personId).where('ended_at', 'is', null).execute();
    await revokeClient(tx, row.client_id);
    return true;
  });
}

export interface SessionRow {
  client: AuthenticatedClient;
  csrfToken: string;
  expiresAt: Date;
  idleExpiresAt: Date;
  lastSeenAt: Date;
}

export async function insertSession(db: Kysely<Database>, session: { idHash: Buffer; personId: string; csrfToken: string; idleExpiresAt: Date; expiresAt: Date }): Promise<void> {
  await db.insertInto('person_sessions').values({
    id_hash: session.idHash, person_id: session.personId, csrf_token: session.csrfToken, idle_expires_at: session.idleExpiresAt, expires_at: session.expiresAt,
  }).execute();
}

/** A live session (not ended, not expired) with its person's client; null otherwise. */
export async function findLiveSession(db: Kysely<Database>, idHash: Buffer, now = new Date()): Promise<SessionRow | null> {
  const row = await db.selectFrom('person_sessions as s').innerJoin('people as p', 'p.id', 's.person_id')
    .select(['s.csrf_token', 's.expires_at', 's.idle_expires_at', 's.last_seen_at', 's.ended_at', 'p.client_id', 'p.name', 'p.disabled_at'])
    .where('s.id_hash', '=', idHash).executeTakeFirst();
  if (row === undefined || row.ended_at !== null || row.disabled_at !== null) return null;
  if (row.expires_at <= now || row.idle_expires_at <= now) return null;
  const client = (await findClientsById(db, [row.client_id], now)).get(row.client_id);
  if (client === undefined) return null;
  return {
    client: { ...client, name: row.name, sessionId: idHash.toString('hex'), expiresAt: row.expires_at },
    csrfToken: row.csrf_token, expiresAt: row.expires_at, idleExpiresAt: row.idle_expires_at, lastSeenAt: row.last_seen_at,
  };
}

/** Pushes the idle expiry of a live session. */
export async function touchSession(db: Kysely<Database>, idHash: Buffer, idleExpiresAt: Date): Promise<void> {
  await db.updateTable('person_sessions').set({ last_seen_at: new Date(), idle_expires_at: idleExpiresAt })
    .where('id_hash', '=', idHash).where('ended_at', 'is', null).execute();
}

export async function endSession(db: Kysely<Database>, idHash: Buffer): Promise<void> {
  await db.updateTable('person_sessions').set({ ended_at: new Date() }).where('id_hash', '=', idHash).where('ended_at', 'is', null).execute();
}

/** Of these sessions (hex of their id hash), the ones still live, with their absolute expiry. */
export async function liveSessions(db: Kysely<Database>, ids: readonly string[], now = new Date()): Promise<Map<string, Date>> {
  const live = new Map<string, Date>();
  if (ids.length === 0) return live;
  const rows = await db.selectFrom('person_sessions as s').innerJoin('people as p', 'p.id', 's.person_id')
    .select(['s.id_hash', 's.expires_at'])
    .where('s.id_hash', 'in', ids.map((id) => Buffer.from(id, 'hex')))
    .where('s.ended_at', 'is', null).where('p.disabled_at', 'is', null).where('s.expires_at', '>', now).execute();
  for (const row of rows) live.set(row.id_hash.toString('hex'), row.expires_at);
  return live;
}

export async function insertLoginAttempt(db: Kysely<Database>, attempt: { stateHash: Buffer; codeVerifier: string; nonce: string; returnTo: string; expiresAt: Date }): Promise<void> {
  await db.deleteFrom('login_attempts').where('expires_at', '<', new Date()).execute();
  await db.insertInto('login_attempts').values({
    state_hash: attempt.stateHash, code_verifier: attempt.codeVerifier, nonce: attempt.nonce, return_to: attempt.returnTo, expires_at: attempt.expiresAt,
  }).execute();
}

/** Takes (deletes and returns) a pending login: a state is good once. */
export async function takeLoginAttempt(db: Kysely<Database>, stateHash: Buffer): Promise<{ codeVerifier: string; nonce: string; returnTo: string } | null> {
  const row = await db.deleteFrom('login_attempts').where('state_hash', '=', stateHash).where('expires_at', '>', new Date())
    .returning(['code_verifier', 'nonce', 'return_to']).executeTakeFirst();
  return row === undefined ? null : { codeVerifier: row.code_verifier, nonce: row.nonce, returnTo: row.return_to };
}
