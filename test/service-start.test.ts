// The service on a real PostgreSQL: two instances starting together on an empty
// database, health and readiness over real HTTP, clean shutdown.
import t from 'tap';
import { migratedDatabase, testDatabase } from './helpers/database.js';
import { http, startTestService } from './helpers/service.js';

t.test('two instances started at the same moment on one empty database both come up', async (t) => {
  const db = await testDatabase(t);
  const [a, b] = await Promise.all([startTestService(t, db.url), startTestService(t, db.url)]);
  for (const service of [a, b]) {
    t.equal((await http(service, 'GET', '/healthz')).status, 200);
    const ready = await http(service, 'GET', '/readyz');
    t.equal(ready.status, 200);
    t.equal(ready.json.ready, true);
  }
  const rows = await a.prepared.database.db.selectFrom('schema_migrations' as never).selectAll().execute();
  const files = (await import('../src/db/migrate.js')).readMigrations;
  t.equal(rows.length, (await files()).length, 'each migration recorded once');
});

t.test('readiness turns 503 when shutdown begins', async (t) => {
  const db = await migratedDatabase(t);
  const service = await startTestService(t, db.url);
  t.equal((await http(service, 'GET', '/readyz')).status, 200);
  service.readiness.startDraining();
  const report = await http(service, 'GET', '/readyz');
  t.equal(report.status, 503);
  t.equal(report.json.checks.shutdown.detail, 'draining');
});

t.test('unknown routes and bad JSON are problem+json', async (t) => {
  const db = await migratedDatabase(t);
  const service = await startTestService(t, db.url);
  const missing = await http(service, 'GET', '/nowhere');
  t.equal(missing.status, 404);
  t.match(missing.headers.get('content-type'), /application\/problem\+json/);
  t.equal(missing.json.status, 404);
  const docs = await http(service, 'GET', '/docs/json');
  t.equal(docs.status, 200);
  t.ok(docs.json.paths['/v1/match'], 'the OpenAPI document lists /v1/match');
});

t.test('an unknown field is named itself', async (t) => {
  const db = await migratedDatabase(t);
  const service = await startTestService(t, db.url);
  const { createClient } = await import('../src/auth/clients.js');
  await db.db.insertInto('territories').values({ id: 'named-fields', name: 'N', time_zone: 'Europe/Paris', organisation_identifier: null }).execute();
  const { token } = await createClient(db.db, { role: 'regulator', territories: ['named-fields'], name: 'r' });
  const answer = await http(service, 'POST', '/v1/match', { token, body: { territory: 'named-fields', horizonHourz: 3 } });
  t.equal(answer.status, 400);
  t.same(answer.json.errors, [{ field: 'body.horizonHourz', message: 'unknown field' }]);
});
