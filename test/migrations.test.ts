import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import { migrate, readMigrations } from '../src/db/migrate.js';
import { testDatabase } from './helpers/database.js';

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try { return await fn(client); } finally { await client.end(); }
}

t.test('applies every migration once, even from concurrent starters', async (t) => {
  const db = await testDatabase(t);
  const migrations = await readMigrations();
  t.ok(migrations.length >= 1);
  const results = await Promise.all([0, 1, 2].map(() => withClient(db.url, (c) => migrate(c, migrations))));
  const appliedCounts = results.map((r) => r.length).sort();
  t.same(appliedCounts, [0, 0, migrations.length], 'exactly one starter applied them');
  const rows = await withClient(db.url, (c) => c.query('select name from schema_migrations order by name'));
  t.same(rows.rows.map((r) => r.name), migrations.map((m) => m.name));
  t.same(await withClient(db.url, (c) => migrate(c, migrations)), [], 'a restart applies nothing');
});

t.test('a failing migration applies nothing and says which', async (t) => {
  const db = await testDatabase(t);
  const dir = await mkdtemp(path.join(tmpdir(), 'snp-mig-'));
  await writeFile(path.join(dir, '001_ok.sql'), 'create table first_table (id int);');
  await writeFile(path.join(dir, '002_broken.sql'), 'create table second_table (id nonsense_type);');
  const migrations = await readMigrations(dir);
  await t.rejects(withClient(db.url, (c) => migrate(c, migrations)), /migration 002_broken\.sql failed/);
  const exists = await withClient(db.url, (c) => c.query("select to_regclass('first_table') as t"));
  t.equal(exists.rows[0].t, null, 'the whole batch rolled back');
});

t.test('an applied migration that changed is refused', async (t) => {
  const db = await testDatabase(t);
  const dir = await mkdtemp(path.join(tmpdir(), 'snp-mig-'));
  await writeFile(path.join(dir, '001_a.sql'), 'create table a (id int);');
  await withClient(db.url, async (c) => migrate(c, await readMigrations(dir)));
  await writeFile(path.join(dir, '001_a.sql'), 'create table a (id bigint);');
  await t.rejects(withClient(db.url, async (c) => migrate(c, await readMigrations(dir))), /001_a\.sql was changed/);
});
