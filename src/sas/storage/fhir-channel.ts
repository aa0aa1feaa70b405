// Writes the SAS platform makes through /fhir must not be told back to it. They
// go through this view of the service's database, which marks every transaction
// it runs with the transaction-local setting snp.channel = 'fhir'; the outbox
// trigger (sql/009_fhir_channel_marker.sql) reads it and records those events'
// deliveries as skipped, atomically with the change, whatever use case ran.
// Same pool as everyone else (no connection of its own); the mark ends with its
// transaction, so it never reaches the pool's next user.
//
// Covered: Kysely transactions, and pool.query (each call becomes a transaction
// of its own). A bare Kysely statement outside a transaction is not marked:
// write events inside a transaction.
import {
  CompiledQuery, Kysely, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type TransactionSettings,
} from 'kysely';
import type pg from 'pg';
import type { DatabaseHandle } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

/** The setting the trigger reads, and its value for the /fhir transport. */
export const CHANNEL_SETTING = 'snp.channel';
export const FHIR_CHANNEL = 'fhir';

const MARK = `select set_config('${CHANNEL_SETTING}', '${FHIR_CHANNEL}', true)`;

class MarkingPostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection, settings);
    await connection.executeQuery(CompiledQuery.raw(MARK));
  }
}

class MarkingPostgresDialect extends PostgresDialect {
  constructor(private readonly pool: pg.Pool) {
    super({ pool });
  }

  override createDriver(): Driver {
    return new MarkingPostgresDriver({ pool: this.pool });
  }
}

type QueryArgs = [textOrConfig: string | pg.QueryConfig, values?: unknown[]];

/** One statement in a marked transaction of its own: still atomic, two round trips more. */
async function markedQuery(pool: pg.Pool, [textOrConfig, values]: QueryArgs): Promise<pg.QueryResult> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // Simple protocol: both statements in one round trip.
    await client.query(`begin; ${MARK}`);
    const result = await client.query(textOrConfig, values);
    await client.query('commit');
    return result;
  } catch (error) {
    // The statement's own error travels on unchanged (callers read its code and constraint).
    await client.query('rollback').catch((rollbackError: Error) => { broken = rollbackError; });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * The pool as the channel lends it: query() is marked; everything else is the
 * pool itself (a Proxy, because callers take a pg.Pool).
 */
function markingPool(pool: pg.Pool): pg.Pool {
  const query = (...args: QueryArgs) => markedQuery(pool, args);
  return new Proxy(pool, {
    get(target, property) {
      if (property === 'query') return query;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The service's database as the /fhir transport writes through it. Closing it closes nothing: the pool is the service's. */
export function fhirChannelOf(database: DatabaseHandle): DatabaseHandle {
  return {
    url: database.url,
    pool: markingPool(database.pool),
    db: new Kysely<Database>({ dialect: new MarkingPostgresDialect(database.pool) }),
    close: async () => {},
  };
}
