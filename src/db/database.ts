// One bounded pool per process and a typed Kysely over it.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// bigint counters (sequences, counts) stay far below 2^53: numbers are safer to use than strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// A `date` is a calendar day, not an instant: keep it as 'YYYY-MM-DD'.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export interface DatabaseHandle {
  url: string;
  pool: pg.Pool;
  db: Kysely<Database>;
  close(): Promise<void>;
}

export interface PoolOptions {
  max: number;
  applicationName?: string;
  /** How long a query may wait for a connection (default 5 s), then fails: shed load. */
  waitMs?: number;
}

export function openDatabase(url: string, options: PoolOptions): DatabaseHandle {
  const pool = openPool(url, options);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { url, pool, db, close: () => db.destroy() };
}

/** A bounded pool alone, for a part that needs connections of its own (the index sync's reserve); end() closes it. */
export function openPool(url: string, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    application_name: options.applicationName ?? 'snp-match',
    connectionTimeoutMillis: options.waitMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle client losing its server (a PostgreSQL restart) must not crash the process.
  pool.on('error', () => {});
  // Nor a checked-out one: the pool unhooks its listener while a client is lent,
  // and a FATAL (57P01 on shutdown) arriving between two statements of a
  // transaction is then emitted with nobody listening. The next query fails instead.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
