// Who is connected to a database: the leak checks of the tests and of the harness.
import pg from 'pg';

/** Connections still open to a database, other than the one asking. */
export async function openConnections(adminUrl: string, database: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
    return result.rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}
