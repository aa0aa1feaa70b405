// Where the data lives: DATABASE_URL when given, else the embedded server under DATA_DIR.
// The service owns that server (DATA_DIR lock); a command-line tool shares the server of
// a running service, or owns it for its own run when no service holds the directory.
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { DataDirProblem } from './data-dir-problem.js';
import { lockDataDir, lockHolder } from './data-dir-lock.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres.js';

export interface DatabaseLocation {
  url: string;
  embedded: EmbeddedServer | null;
  /** Stops the embedded server if this process started it. */
  release(): Promise<void>;
}

export interface LocateOptions {
  /** Who asks: 'service' owns DATA_DIR; a tool name ('clients', 'seed') may share a running service's server. */
  role?: string;
  /** false: a DATA_DIR without a database is refused (a tool pointed at the wrong directory). */
  create?: boolean;
  onLog?: (line: string) => void;
  onProgress?: (line: string) => void;
}

export async function locateDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>,
  options: LocateOptions = {},
): Promise<DatabaseLocation> {
  if (config.DATABASE_URL !== undefined) {
    return { url: config.DATABASE_URL, embedded: null, release: async () => {} };
  }
  const role = options.role ?? 'service';
  const root = path.resolve(config.DATA_DIR);
  const common = { dataDir: root, ...(options.onLog ? { onLog: options.onLog } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  if (role !== 'service') {
    const holder = await lockHolder(root);
    if (holder !== null) {
      // Legitimate sharing: a tool beside the running service, on its server.
      const embedded = await startEmbeddedPostgres({ ...common, running: 'share', create: false }).catch((error: unknown) => {
        if (error instanceof DataDirProblem) throw error;
        throw new DataDirProblem(`DATA_DIR ${root} belongs to snp-match ${holder.role} (pid ${holder.pid}), whose database is not running yet; try again once it is ready`, 1);
      });
      return { url: embedded.url, embedded, release: async () => {} };
    }
  }
  if (options.create !== false) {
    try {
      await mkdir(root, { recursive: true });
    } catch (error) {
      throw new DataDirProblem(`cannot create DATA_DIR ${root} (${(error as NodeJS.ErrnoException).code}): choose a directory this user can write`, 1);
    }
  } else if (!(await directoryExists(root))) {
    throw new DataDirProblem(`no database in DATA_DIR ${root} (the directory does not exist): set DATA_DIR to the service's, or pass --create-database to create a new one there`, 2);
  }
  const lock = await lockDataDir(root, role);
  try {
    const embedded = await startEmbeddedPostgres({ ...common, running: 'adopt', create: options.create ?? true });
    return {
      url: embedded.url,
      embedded,
      release: async () => {
        try {
          await embedded.stop();
        } finally {
          await lock.release();
        }
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function directoryExists(dir: string): Promise<boolean> {
  return stat(dir).then((info) => info.isDirectory(), () => false);
}
