// Each test file gets a PostgreSQL of its own: a throw-away embedded cluster by
// default, or a fresh database on the server named by DATABASE_URL.
import { mkdtemp, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Test } from 'tap';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { migrate, readMigrations } from '../../src/db/migrate.js';

export interface TestDatabase {
  url: string;
  /** A superuser connection string to the same server's maintenance database. */
  adminUrl: string;
  name: string;
}

let counter = 0;

export async function testDatabase(t: Test): Promise<TestDatabase> {
  const external = process.env.DATABASE_URL;
  if (external !== undefined && external !== '') return externalDatabase(t, external);
  const dir = await mkdtemp(path.join(tmpdir(), 'snp-test-'));
  await chmod(dir, 0o755); // the postgres user must reach it when tests run as root
  const server = await startEmbeddedPostgres({ dataDir: dir, fast: true, persistent: false });
  t.teardown(() => server.stop());
  return { url: server.url, adminUrl: server.adminUrl, name: 'snp' };
}

async function externalDatabase(t: Test, external: string): Promise<TestDatabase> {
  const name = `snp_test_${process.pid}_${++counter}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: external });
  await admin.connect();
  await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  await admin.end();
  t.teardown(async () => {
    const cleanup = new pg.Client({ connectionString: external });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    await cleanup.end();
  });
  const url = new URL(external);
  url.pathname = `/${name}`;
  return { url: url.toString(), adminUrl: external, name };
}

/** A test database with every migration applied, and a pool on it closed at teardown. */
export async function migratedDatabase(t: Test, poolMax = 5): Promise<DatabaseHandle & TestDatabase> {
  const target = await testDatabase(t);
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  await migrate(client, await readMigrations());
  await client.end();
  const handle = openDatabase(target.url, { max: poolMax });
  t.teardown(() => handle.close());
  return { ...handle, ...target };
}
