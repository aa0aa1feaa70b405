// A database for one benchmark run: a fresh database on DATABASE_URL, or a
// throw-away embedded server. Dropped or stopped at the end.
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { migrate, readMigrations } from '../../src/db/migrate.js';

export interface BenchDatabase { url: string; handle: DatabaseHandle; dispose(): Promise<void> }

export async function benchDatabase(poolMax = 20): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (adminUrl === undefined || adminUrl === '') {
    const dir = await mkdtemp(path.join(tmpdir(), 'snp-bench-'));
    await chmod(dir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: dir, persistent: false });
    adminUrl = server.adminUrl;
    stopServer = () => server.stop();
  }
  const name = `snp_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await migrate(client, await readMigrations());
  await client.end();
  const handle = openDatabase(url.toString(), { max: poolMax });
  return {
    url: url.toString(),
    handle,
    dispose: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      await cleanup.end();
      await stopServer();
    },
  };
}
