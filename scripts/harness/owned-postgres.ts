// A PostgreSQL that one test file owns outright, so it may stop and restart it
// under a running service (the run's shared server of test/helpers/database.ts
// may not be restarted: other tests use it). Persistent data directory and
// a fixed port: after a restart the server is where its clients expect it.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { scratchRoot } from './scratch-dir.js';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded-postgres.js';
import { migrate, readMigrations } from '../../src/db/migrate.js';
import type { Teardown } from './cluster.js';
import { openConnections } from './connections.js';

export interface OwnedPostgres {
  /** The `snp` database, with every migration applied. */
  url: string;
  adminUrl: string;
  port: number;
  readonly running: boolean;
  /** A fast shutdown (SIGINT): sessions are terminated, committed work survives. */
  stop(): Promise<void>;
  /** Starts again on the same data directory and port. */
  start(): Promise<void>;
  /** Connections still open to `snp` (other than the one asking). */
  connections(): Promise<number>;
}

export async function ownedPostgres(t: Teardown): Promise<OwnedPostgres> {
  const dataDir = await mkdtemp(path.join(scratchRoot(), 'snp-owned-pg-'));
  await chmod(dataDir, 0o755); // the postgres user must reach it when tests run as root
  let server: EmbeddedServer | null = await startEmbeddedPostgres({ dataDir, fast: true, persistent: true });
  const port = Number(new URL(server.url).port);
  const { url, adminUrl } = server;
  const migrator = new pg.Client({ connectionString: url });
  await migrator.connect();
  await migrate(migrator, await readMigrations());
  await migrator.end();

  // If this process dies without its teardown, the server must not outlive it.
  const killOnExit = () => {
    try {
      const pid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGQUIT');
    } catch { /* not running */ }
  };
  process.on('exit', killOnExit);

  const owned: OwnedPostgres = {
    url, adminUrl, port,
    get running() { return server !== null; },
    async stop() {
      const current = server;
      server = null;
      await current?.stop();
    },
    async start() {
      if (server !== null) return;
      server = await startEmbeddedPostgres({ dataDir, fast: true, persistent: true, port });
    },
    connections: () => openConnections(adminUrl, 'snp'),
  };
  t.teardown(async () => {
    let leaked = 0;
    try {
      // By now every instance and pool of the test is closed: nothing may still hold a connection.
      if (server !== null) {
        leaked = await owned.connections();
        for (let i = 0; i < 50 && leaked > 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          leaked = await owned.connections();
        }
      }
    } finally {
      await owned.stop();
      process.removeListener('exit', killOnExit);
      killOnExit(); // a no-op unless the server refused to stop
      await rm(dataDir, { recursive: true, force: true });
    }
    if (leaked > 0) throw new Error(`${leaked} connection(s) to the owned PostgreSQL left open`);
  });
  return owned;
}
