// The connections an idle instance holds, read from pg_stat_activity: its pool,
// and ONE notifier connection multiplexing every LISTEN channel (issue 13).
import pg from 'pg';
import t from 'tap';
import { testDatabase } from './helpers/database.js';
import { startTestService } from './helpers/service.js';

// The service's pools: counted apart, they grow and shrink with the load.
// ('snp-match:fhir' is the FHIR channel's pool while it still exists.)
const POOLS = ['snp-match', 'snp-match:fhir'];

t.test('an idle instance holds one connection besides its pool: the notifier', async (t) => {
  const db = await testDatabase(t);
  await startTestService(t, db.url);
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // at rest: start-up passes done
  const counter = new pg.Client({ connectionString: db.url, application_name: 'snp-test-counter' });
  await counter.connect();
  t.teardown(() => counter.end());
  const { rows } = await counter.query<{ application_name: string; n: number }>(`select application_name, count(*)::int as n
      from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() group by 1 order by 1`);
  t.comment(`connections at rest: ${rows.map((r) => `${r.application_name}=${r.n}`).join(', ')}`);
  const besidesPools = Object.fromEntries(rows.filter((r) => !POOLS.includes(r.application_name)).map((r) => [r.application_name, r.n]));
  t.same(besidesPools, { 'snp-match:notifier': 1 }, 'one notifier connection, nothing else outside the pools');
});
