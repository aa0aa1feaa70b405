// The PostgreSQL server this test process creates its databases on: the one
// the tap run's before script started (test/setup), or, when the file runs
// without it (node --import tsx test/x.test.ts), one of its own for this
// process: a throw-away embedded cluster, or the server named by DATABASE_URL,
// with a migrated template made here and dropped when the file ends.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { scratchRoot } from '../../scripts/harness/scratch-dir.js';
import path from 'node:path';
import tap from 'tap';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { currentRunState } from '../setup/run-state.js';
import { createMigratedTemplate, dropDatabasesNamed } from '../setup/template.js';

export interface TestServer {
  adminUrl: string;
  /** The migrated database to clone. */
  template: string;
  /** Names of this process's databases start with it: unique across runs and machines sharing a server. */
  prefix: string;
}

let server: Promise<TestServer> | null = null;

export function testServer(): Promise<TestServer> {
  server ??= (async () => {
    const run = currentRunState();
    if (run !== null) return { adminUrl: run.adminUrl, template: run.template, prefix: `${run.prefix}${process.pid}_` };
    return serverOfThisFile();
  })();
  return server;
}

async function serverOfThisFile(): Promise<TestServer> {
  const prefix = `snp_t_${randomBytes(4).toString('hex')}_${process.pid}_`;
  let adminUrl = process.env.DATABASE_URL;
  if (adminUrl === undefined || adminUrl === '') {
    const dir = await mkdtemp(path.join(scratchRoot(), 'snp-test-'));
    await chmod(dir, 0o755); // the postgres user must reach it when tests run as root
    const embedded = await startEmbeddedPostgres({ dataDir: dir, fast: true, persistent: false });
    tap.teardown(async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    });
    adminUrl = embedded.adminUrl;
  } else {
    const external = adminUrl;
    tap.teardown(() => dropDatabasesNamed(external, prefix));
  }
  const template = `${prefix}template`;
  await createMigratedTemplate(adminUrl, template);
  return { adminUrl, template, prefix };
}
