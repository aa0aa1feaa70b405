// Regulator accounts in PostgreSQL (sql/018), for src/usecases/regulator-accounts.ts.
// Each write is one transaction: the account, its audit row, and the person who logs
// in as that regulator (people, sql/016) created, renamed, disabled or enabled with it.
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { loginOfIdnps } from '../../core/rpps.js';
import { insertClient } from '../../db/api-clients.js';
import type { Database, RegulatorAccountsTable } from '../../db/schema.js';
import { writeAudit } from '../../db/stores/audit.js';
import type { Actor } from '../../usecases/actor.js';
import type { RegulatorAccount, RegulatorAccountFields, RegulatorAccountStore } from '../../usecases/regulator-accounts.js';

type Row = Selectable<RegulatorAccountsTable>;

function accountOf(row: Row): RegulatorAccount {
  return {
    id: row.id, ...(row.idnps !== null ? { idnps: row.idnps } : {}), ...(row.intrn !== null ? { intrn: row.intrn } : {}),
    familyName: row.family_name, givenName: row.given_name, email: row.email, active: row.active, personId: row.person_id,
  };
}

function columnsOf(fields: RegulatorAccountFields) {
  return {
    idnps: fields.idnps ?? null, intrn: fields.intrn ?? null, family_name: fields.familyName, given_name: fields.givenName,
    email: fields.email, active: fields.active,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * The person of an account follows it: an active account whose IDNPS gives a login
 * (the RPPS for "8" + RPPS) gets a person (role regulator, the creating client's
 * territories) unless that login already belongs to someone else; a deactivated
 * account's person is disabled (sessions ended, client revoked), a reactivated one's enabled.
 */
async function followPerson(tx: Transaction<Database>, row: Row): Promise<Row> {
  const login = row.idnps === null ? null : loginOfIdnps(row.idnps);
  const name = `${row.given_name} ${row.family_name}`;
  const live = row.active && login !== null;
  if (row.person_id !== null) {
    const person = await tx.selectFrom('people').select(['login', 'client_id', 'disabled_at']).where('id', '=', row.person_id).executeTakeFirstOrThrow();
    const loginFree = login !== null && login !== person.login
      && (await tx.selectFrom('people').select('id').where('login', '=', login).executeTakeFirst()) === undefined;
    await tx.updateTable('people').set({
      name, ...(loginFree ? { login: login! } : {}), disabled_at: live ? null : (person.disabled_at ?? new Date()),
    }).where('id', '=', row.person_id).execute();
    if (live) {
      await tx.updateTable('api_clients').set({ revoked_at: null, name }).where('id', '=', person.client_id).execute();
    } else if (person.disabled_at === null) {
      await tx.updateTable('person_sessions').set({ ended_at: new Date() }).where('person_id', '=', row.person_id).where('ended_at', 'is', null).execute();
      await tx.updateTable('api_clients').set({ revoked_at: new Date() }).where('id', '=', person.client_id).where('revoked_at', 'is', null).execute();
    }
    return row;
  }
  if (!live || (await tx.selectFrom('people').select('id').where('login', '=', login!).executeTakeFirst()) !== undefined) return row;
  const creator = await tx.selectFrom('api_clients').select('territories').where('id', '=', row.client_id).executeTakeFirstOrThrow();
  // No token exists for a person's client: its hash is of nothing anyone holds (as src/db/people.ts).
  const { id: clientId } = await insertClient(tx, { role: 'regulator', territories: creator.territories, name }, randomBytes(32));
  const person = await tx.insertInto('people').values({ login: login!, name, client_id: clientId, password_hash: null }).returning('id').executeTakeFirstOrThrow();
  return tx.updateTable('regulator_accounts').set({ person_id: person.id }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
}

async function write(db: Kysely<Database>, actor: Actor, action: 'created' | 'updated', change: (tx: Transaction<Database>) => Promise<Row>): Promise<RegulatorAccount | 'duplicate'> {
  try {
    return await db.transaction().execute(async (tx) => {
      const row = await followPerson(tx, await change(tx));
      await writeAudit(tx, actor, [{ action: `regulator-account.${action}`, entity: 'regulator-account', entityId: row.id, details: { active: row.active } }]);
      return accountOf(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
}

export function pgRegulatorAccounts(db: Kysely<Database>): RegulatorAccountStore {
  return {
    async find(clientId, kind, value) {
      const row = await db.selectFrom('regulator_accounts').selectAll().where('client_id', '=', clientId).where(kind, '=', value)
        .orderBy('active', 'desc').orderBy('updated_at', 'desc').limit(1).executeTakeFirst();
      return row === undefined ? undefined : accountOf(row);
    },
    insert: (actor, fields) => write(db, actor, 'created', (tx) =>
      tx.insertInto('regulator_accounts').values({ client_id: actor.client.id, ...columnsOf(fields) }).returningAll().executeTakeFirstOrThrow()),
    update: (actor, id, fields) => write(db, actor, 'updated', (tx) =>
      tx.updateTable('regulator_accounts').set({ ...columnsOf(fields), updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()),
  };
}
