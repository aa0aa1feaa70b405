// The connections an instance holds, read from pg_stat_activity: its pool, and
// ONE notifier connection multiplexing every LISTEN channel, which also sends
// the after-commit slot hint and runs the outbox reads (issue 13). The index
// sync's reserve ('snp-match:index-sync') opens only when every pooled
// connection is busy (src/db/sync/pass-connection.ts): never at rest.
import pg from 'pg';
import t from 'tap';
import { openDatabase } from '../src/db/database.js';
import { migrate, readMigrations } from '../src/db/migrate.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { testDatabase } from './helpers/database.js';
import { http, startTestService } from './helpers/service.js';

// The service's pools: counted apart, they grow and shrink with the load.
// ('snp-match:fhir' is the FHIR channel's pool while it still exists.)
const POOLS = ['snp-match', 'snp-match:fhir'];

t.test('an instance holds one connection besides its pool: the notifier', async (t) => {
  const target = await testDatabase(t);
  const migrator = new pg.Client({ connectionString: target.url });
  await migrator.connect();
  await migrate(migrator, await readMigrations());
  await migrator.end();
  const handle = openDatabase(target.url, { max: 2, applicationName: 'snp-test' });
  t.teardown(() => handle.close());
  const w = await world(handle.db);
  const [slotId] = await addSlots(handle.db, w.a.pros[0]!, { start: soon(), count: 1 });
  const regulator = await tokenFor(handle.db, 'regulator', ['terr-a']);
  const service = await startTestService(t, target.url);

  const besidesPools = async (when: string) => {
    const { rows } = await handle.pool.query<{ application_name: string; n: number }>(`select application_name, count(*)::int as n
        from pg_stat_activity where datname = current_database() and application_name like 'snp-match%' group by 1 order by 1`);
    t.comment(`connections ${when}: ${rows.map((r) => `${r.application_name}=${r.n}`).join(', ')}`);
    return Object.fromEntries(rows.filter((r) => !POOLS.includes(r.application_name)).map((r) => [r.application_name, r.n]));
  };
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // at rest: start-up passes done
  t.same(await besidesPools('at rest'), { 'snp-match:notifier': 1 }, 'idle: one notifier connection, nothing else outside the pools');
  // A hold announces its slot change after commit: no connection of its own for that.
  t.equal((await http(service, 'POST', '/v1/holds', { token: regulator.token, body: { slotId } })).status, 201);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.same(await besidesPools('after a hold'), { 'snp-match:notifier': 1 }, 'after a hold: still the one notifier connection');
});
