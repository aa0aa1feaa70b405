// The PostgreSQL of one tap run, detached from the before script that spawns
// it: starts an embedded server (or uses DATABASE_URL), creates the migrated
// template, describes both in the run directory, then stays until the after
// script sends SIGTERM or the tap runner disappears (killed, interrupted), and
// cleans up: every database of the run dropped, the embedded server stopped,
// the run directory removed.
//   node --import tsx test/setup/postgres-keeper.ts <runner pid>
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { scratchRoot } from '../../scripts/harness/scratch-dir.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded-postgres.js';
import { isAlive, processStart, runDir, stateFile, type RunState } from './run-state.js';
import { createMigratedTemplate, dropDatabasesNamed } from './template.js';

const RUNNER_POLL_MS = 500;

const runnerPid = Number(process.argv[2]);
if (!Number.isInteger(runnerPid) || runnerPid <= 0) throw new Error('usage: postgres-keeper.ts <runner pid>');
const runnerStart = processStart(runnerPid);
const dir = runDir(runnerPid);
const prefix = `snp_t_${randomBytes(4).toString('hex')}_`;
const external = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '' ? process.env.DATABASE_URL : null;

let server: EmbeddedServer | null = null;
let dataDir: string | null = null;
let adminUrl: string | null = external;
let stopping: Promise<void> | null = null;

function shutdown(reason: string): Promise<void> {
  stopping ??= (async () => {
    console.log(`stopping: ${reason}`);
    clearInterval(watch);
    try {
      if (adminUrl !== null && external !== null) await dropDatabasesNamed(adminUrl, prefix);
    } catch (error) {
      console.log(`could not drop the run's databases: ${(error as Error).message}`);
    }
    await server?.stop().catch((error: Error) => console.log(`stopping PostgreSQL: ${error.message}`));
    if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
    process.exit(0);
  })();
  return stopping;
}

// Watched from the start: a runner killed while we boot must not leave a server behind.
const watch = setInterval(() => { if (!isAlive(runnerPid, runnerStart)) void shutdown(`tap runner ${runnerPid} is gone`); }, RUNNER_POLL_MS);
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));

try {
  if (external === null) {
    // The cluster on tmpfs when there is one (scratch-dir.ts: clones cost 15 ms there, ~400 ms on
    // ext4), linked from the run directory, where a later run's sweep finds it (stale-runs.ts).
    await mkdir(dir, { recursive: true });
    dataDir = await mkdtemp(path.join(scratchRoot(), 'snp-test-pg-'));
    await symlink(dataDir, path.join(dir, 'data'));
    await chmod(dir, 0o755); // the postgres user must reach it when tests run as root
    await chmod(dataDir, 0o755);
    server = await startEmbeddedPostgres({ dataDir, fast: true, persistent: false, onLog: (line) => console.log(line) });
    adminUrl = server.adminUrl;
  }
  const template = `${prefix}template`;
  await createMigratedTemplate(adminUrl!, template);
  const state: RunState = { runnerPid, runnerStart, keeperPid: process.pid, adminUrl: adminUrl!, template, prefix, embedded: external === null };
  const file = stateFile(dir);
  await writeFile(`${file}.tmp`, JSON.stringify(state), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
  console.log(`ready: template ${template}${external === null ? '' : ' on DATABASE_URL'}`);
} catch (error) {
  console.log(`failed: ${(error as Error).stack ?? String(error)}`);
  await shutdown('start-up failed');
}
