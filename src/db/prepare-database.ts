// Everything a process needs before it touches the data: the server (external
// or embedded), the schema up to date, and on a new embedded database the demo data.
// Each step an operator waits for is told in one line.
import pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from './database.js';
import { locateDatabase, type DatabaseLocation } from './locate-database.js';
import { migrate, readMigrations } from './migrate.js';
import { seedDemoIfEmpty } from './seed-demo.js';

export interface PreparedDatabase {
  location: DatabaseLocation;
  database: DatabaseHandle;
  /** Closes the pool, then stops the embedded server if this process started it. */
  close(): Promise<void>;
}

export interface PrepareOptions {
  /** 'service' owns an embedded DATA_DIR; a tool's name shares a running service's server. */
  role?: string;
  /** false: an embedded DATA_DIR without a database is refused instead of created. */
  create?: boolean;
}

export async function prepareDatabase(config: Config, log: Logger, applicationName: string, options: PrepareOptions = {}): Promise<PreparedDatabase> {
  const location = await locateDatabase(config, {
    ...options,
    onLog: (line) => log.debug({ postgres: line }, 'embedded postgres'),
    onProgress: (line) => log.info(line),
  });
  try {
    const client = new pg.Client({ connectionString: location.url, application_name: `${applicationName}:migrate` });
    await client.connect();
    try {
      const applied = await migrate(client, await readMigrations());
      if (applied.length > 0) log.info({ applied }, `migrations applied: ${applied.length}`);
    } finally {
      await client.end();
    }
    const database = openDatabase(location.url, { max: config.DB_POOL_MAX, waitMs: config.DB_POOL_WAIT_MS, applicationName });
    if (location.embedded !== null && config.SEED_DEMO) {
      // Three days cover the 48-hour index window; the service's rolling horizon
      // materialises the rest in the background, so the first start stays short.
      const days = Math.min(3, config.MATERIALISE_DAYS);
      const seeded = await seedDemoIfEmpty(database.db, days, () => log.info('seeding the demo territories into the new embedded database'));
      if (seeded !== null) {
        log.info(seeded, `demo seeded: ${seeded.territories} territories, ${seeded.professionals} professionals; ${seeded.slots} slots materialised for the next ${days} days (the rest of the horizon follows in the background)`);
      }
    }
    return {
      location,
      database,
      close: async () => {
        await database.close();
        await location.release();
      },
    };
  } catch (error) {
    await location.release();
    throw error;
  }
}
