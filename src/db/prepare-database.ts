// Everything a process needs before it touches the data: the server (external
// or embedded), the schema up to date, and on a new embedded database the demo data.
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

export async function prepareDatabase(config: Config, log: Logger, applicationName: string): Promise<PreparedDatabase> {
  const location = await locateDatabase(config, (line) => log.debug({ postgres: line }, 'embedded postgres'));
  try {
    const client = new pg.Client({ connectionString: location.url, application_name: `${applicationName}:migrate` });
    await client.connect();
    try {
      const applied = await migrate(client, await readMigrations());
      if (applied.length > 0) log.info({ applied }, 'migrations applied');
    } finally {
      await client.end();
    }
    const database = openDatabase(location.url, { max: config.DB_POOL_MAX, applicationName });
    if (location.embedded !== null && config.SEED_DEMO) {
      // Three days cover the 48-hour index window; the service's rolling horizon
      // materialises the rest in the background, so the first start stays short.
      const seeded = await seedDemoIfEmpty(database.db, Math.min(3, config.MATERIALISE_DAYS));
      if (seeded) log.info('demo territories seeded into the new embedded database');
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
