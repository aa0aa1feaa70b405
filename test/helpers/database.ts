// A database per test, on the run's shared PostgreSQL (see run-postgres.ts):
// empty, or cloned from the migrated template. Dropped at the end of the test,
// which fails if it left a connection open on it.
import pg from 'pg';
import type { Test } from 'tap';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { databaseUrl, withAdmin } from '../setup/template.js';
import { openConnections } from './leaks.js';
import { testServer } from './run-postgres.js';

export interface TestDatabase {
  url: string;
  /** A superuser connection string to the same server's maintenance database. */
  adminUrl: string;
  name: string;
}

let counter = 0;

async function createTestDatabase(t: Test, template: 'empty' | 'migrated'): Promise<TestDatabase> {
  const server = await testServer();
  const name = `${server.prefix}${++counter}`;
  const from = template === 'migrated' ? ` template ${pg.escapeIdentifier(server.template)}` : '';
  await withAdmin(server.adminUrl, (admin) => admin.query(`create database ${pg.escapeIdentifier(name)}${from}`));
  t.teardown(async () => {
    // Everything the test opened on this database must be closed by now. A backend
    // leaves pg_stat_activity a moment after its client closed: a closed connection
    // is gone within a second, a leaked one stays.
    let leaked = await openConnections(server.adminUrl, name);
    for (let i = 0; i < 20 && leaked > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      leaked = await openConnections(server.adminUrl, name);
    }
    if (leaked > 0) throw new Error(`${leaked} connection(s) to ${name} left open`);
    await withAdmin(server.adminUrl, (admin) => admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
  });
  return { url: databaseUrl(server.adminUrl, name), adminUrl: server.adminUrl, name };
}

/** A fresh, empty (unmigrated) database for one test, dropped at its end. */
export function testDatabase(t: Test): Promise<TestDatabase> {
  return createTestDatabase(t, 'empty');
}

/** A test database with every migration applied (a clone of the template), and a pool on it closed at teardown. */
export async function migratedDatabase(t: Test, poolMax = 5): Promise<DatabaseHandle & TestDatabase> {
  const target = await createTestDatabase(t, 'migrated');
  const handle = openDatabase(target.url, { max: poolMax });
  t.teardown(() => handle.close());
  return { ...handle, ...target };
}
