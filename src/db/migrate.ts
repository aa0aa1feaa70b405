// Plain numbered .sql files from sql/, applied in one transaction under an
// advisory lock so that instances starting together apply them exactly once.
// Applied files are frozen: a changed checksum stops the start.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));
const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_]+\.sql$/;
// Any constant shared by every instance; the text names its purpose in pg_locks.
const LOCK_KEY = "hashtext('snp-match:migrations')";

export interface Migration { name: string; sql: string; checksum: string }

export async function readMigrations(dir = SQL_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => MIGRATION_FILE.test(n)).sort();
  return Promise.all(names.map(async (name) => {
    const sql = await readFile(path.join(dir, name), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  }));
}

/** Applies pending migrations; returns the names applied by this call. */
export async function migrate(client: pg.ClientBase, migrations: Migration[]): Promise<string[]> {
  const applied: string[] = [];
  await client.query('begin');
  try {
    await client.query(`select pg_advisory_xact_lock(${LOCK_KEY})`);
    await client.query(`create table if not exists schema_migrations (
      name text primary key, checksum text not null, applied_at timestamptz not null default now())`);
    const done = new Map((await client.query<{ name: string; checksum: string }>(
      'select name, checksum from schema_migrations')).rows.map((r) => [r.name, r.checksum]));
    for (const migration of migrations) {
      const checksum = done.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) throw new Error(`migration ${migration.name} was changed after it was applied`);
        continue;
      }
      try {
        await client.query(migration.sql);
      } catch (error) {
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`);
      }
      await client.query('insert into schema_migrations (name, checksum) values ($1, $2)', [migration.name, migration.checksum]);
      applied.push(migration.name);
    }
    await client.query('commit');
    return applied;
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
