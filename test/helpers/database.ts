// Each test file gets a PostgreSQL of its own: a throw-away embedded cluster by
// default, or a fresh database on the server named by DATABASE_URL.
import { mkdtemp, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import tap, { type Test } from 'tap';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded-postgres.js';
import { migrate, readMigrations } from '../../src/db/migrate.js';
import { openConnections } from './leaks.js';

export interface TestDatabase {
  url: string;
  /** A superuser connection string to the same server's maintenance database. */
  adminUrl: string;
  name: string;
}

let counter = 0;
let fileServer: Promise<EmbeddedServer> | null = null;

/** One throw-away embedded cluster per test file (process), stopped when the file ends. */
function embeddedServerOfThisFile(): Promise<EmbeddedServer> {
  fileServer ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'snp-test-'));
    await chmod(dir, 0o755); // the postgres user must reach it when tests run as root
    const server = await startEmbeddedPostgres({ dataDir: dir, fast: true, persistent: false });
    tap.teardown(() => server.stop());
    return server;
  })();
  return fileServer;
}

/** A fresh, empty database for one test, dropped at its end. */
export async function testDatabase(t: Test): Promise<TestDatabase> {
  const external = process.env.DATABASE_URL;
  const adminUrl = external !== undefined && external !== '' ? external : (await embeddedServerOfThisFile()).adminUrl;
  const name = `snp_test_${process.pid}_${++counter}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  await admin.end();
  t.teardown(async () => {
    // Everything the test opened on this database must be closed by now.
    const leaked = await openConnections(adminUrl, name);
    if (leaked > 0) throw new Error(`${leaked} connection(s) to ${name} left open`);
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    await cleanup.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), adminUrl, name };
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
