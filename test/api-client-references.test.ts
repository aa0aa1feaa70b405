// Migration 017 dropped the foreign keys from bookings, audit rows and
// idempotency records to api_clients (their checks locked the client's row on
// every booking); a trigger keeps what they refused: deleting a client that
// something still references. An unreferenced client can still be deleted.
import { sql } from 'kysely';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { tokenFor, world } from './helpers/fixtures.js';

t.test('a referenced API client cannot be deleted, an unreferenced one can', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const deleteClient = (id: string) => sql`delete from api_clients where id = ${id}`.execute(db.db);
  const refusal = async (id: string) => {
    const error = await deleteClient(id).then(() => undefined, (e: { code?: string; constraint?: string }) => e);
    return error === undefined ? undefined : { code: error.code, constraint: error.constraint };
  };

  const audited = await tokenFor(db.db, 'regulator', ['terr-a']);
  await db.db.insertInto('audit_log').values({ client_id: audited.id, action: 'test', entity: 'test', details: '{}' }).execute();
  t.same(await refusal(audited.id), { code: '23503', constraint: 'api_clients_referenced' }, 'an audit row keeps its client');

  const keyed = await tokenFor(db.db, 'regulator', ['terr-a']);
  await db.db.insertInto('idempotency_keys').values({ client_id: keyed.id, key: 'k1', request_hash: Buffer.alloc(32), response_status: 201, response_body: '{}' }).execute();
  t.same(await refusal(keyed.id), { code: '23503', constraint: 'api_clients_referenced' }, 'an idempotency record keeps its client');

  const unused = await tokenFor(db.db, 'regulator', ['terr-a']);
  t.equal(await refusal(unused.id), undefined, 'a client nothing references is deleted');
  t.equal((await db.db.selectFrom('api_clients').select('id').where('id', '=', unused.id).execute()).length, 0);
});
