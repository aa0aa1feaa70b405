// Databases of a test run: one migrated template per run (or per test file
// when it runs alone), cloned for every test with CREATE DATABASE … TEMPLATE,
// which copies files instead of replaying every migration.
import pg from 'pg';

export async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates `name` with every migration applied; nobody stays connected to it, so it can serve as a template. */
export async function createMigratedTemplate(adminUrl: string, name: string): Promise<void> {
  // Loaded here, not on import: tap's before script imports this file for
  // dropDatabasesNamed, and tap takes coverage of that script (see before.ts).
  const { migrate, readMigrations } = await import('../../src/db/migrate.js');
  await withAdmin(adminUrl, (admin) => admin.query(`create database ${pg.escapeIdentifier(name)}`));
  const client = new pg.Client({ connectionString: databaseUrl(adminUrl, name) });
  await client.connect();
  try {
    await migrate(client, await readMigrations());
  } finally {
    await client.end();
  }
}

/** Drops every database whose name starts with `prefix` (what a run or a file created), even with sessions still on it. */
export async function dropDatabasesNamed(adminUrl: string, prefix: string): Promise<void> {
  await withAdmin(adminUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where starts_with(datname, $1)`, [prefix]);
    for (const { datname } of rows) await admin.query(`drop database if exists ${pg.escapeIdentifier(datname)} with (force)`);
  });
}
