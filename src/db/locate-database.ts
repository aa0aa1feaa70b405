// Where the data lives: DATABASE_URL when given, else the embedded server under DATA_DIR.
import type { Config } from '../config.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres.js';

export interface DatabaseLocation {
  url: string;
  embedded: EmbeddedServer | null;
  /** Stops the embedded server if this process started it. */
  release(): Promise<void>;
}

export async function locateDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>,
  onLog?: (line: string) => void,
): Promise<DatabaseLocation> {
  if (config.DATABASE_URL !== undefined) {
    return { url: config.DATABASE_URL, embedded: null, release: async () => {} };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, ...(onLog ? { onLog } : {}) });
  return { url: embedded.url, embedded, release: () => (embedded.owned ? embedded.stop() : Promise.resolve()) };
}
