// The instance's notifier: many subscribers on one connection, each hearing
// only its channels, and each resyncing after every (re)connection.
import pg from 'pg';
import t from 'tap';
import { Notifier, NOTIFIER_APPLICATION_NAME } from '../src/db/notifications/notifier.js';
import { testDatabase } from './helpers/database.js';

const eventually = async (check: () => boolean | Promise<boolean>, ms = 5_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await check()) return true; await new Promise((r) => setTimeout(r, 20)); }
  return false;
};

function recorder(notifier: Notifier, channels: string[]) {
  const heard: string[] = [];
  let connections = 0;
  const subscription = notifier.subscribe({ channels, onNotification: (channel, payload) => heard.push(`${channel}:${payload}`), onConnected: () => { connections++; } });
  return { heard, subscription, connections: () => connections };
}

t.test('one connection multiplexes every channel; a reconnection resyncs every subscriber', async (t) => {
  const db = await testDatabase(t);
  const other = new pg.Client({ connectionString: db.url, application_name: 'snp-test' });
  await other.connect();
  t.teardown(() => other.end());
  const notifier = new Notifier({ url: db.url, heartbeatMs: 500, backoff: { baseMs: 20, capMs: 200 } });
  t.teardown(() => notifier.stop());
  const slots = recorder(notifier, ['a', 'shared']);
  const rules = recorder(notifier, ['b', 'shared']);
  await Promise.all([slots.subscription.listening(), rules.subscription.listening()]);
  t.equal(slots.connections(), 1, 'first connection: a resync');
  t.equal(rules.connections(), 1, 'first connection: a resync');
  const count = async () => (await other.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where application_name = $1 and datname = current_database()', [NOTIFIER_APPLICATION_NAME])).rows[0]!.n;
  t.equal(await count(), 1, 'one connection for both subscribers');

  await other.query(`select pg_notify('a', '1'), pg_notify('b', '2'), pg_notify('shared', '3'), pg_notify('nobody', '4')`);
  t.ok(await eventually(() => slots.heard.length === 2 && rules.heard.length === 2));
  t.same(slots.heard, ['a:1', 'shared:3'], 'each hears its channels only');
  t.same(rules.heard, ['b:2', 'shared:3']);

  // Subscribed while connected: LISTENed on the live connection, then resynced.
  const late = recorder(notifier, ['c']);
  await late.subscription.listening();
  t.equal(late.connections(), 1);
  await other.query(`select pg_notify('c', '5')`);
  t.ok(await eventually(() => late.heard.length === 1), 'a late subscriber hears its channel');
  await late.subscription.unsubscribe();

  const pid = notifier.backendPid;
  await other.query('select pg_terminate_backend($1)', [pid]);
  t.ok(await eventually(() => slots.connections() === 2 && rules.connections() === 2), 'reconnected: every subscriber resynced');
  t.not(notifier.backendPid, pid, 'a new connection');
  t.equal(late.connections(), 1, 'not the one that left');
  await other.query(`select pg_notify('a', '6'), pg_notify('b', '7'), pg_notify('c', '8')`);
  t.ok(await eventually(() => slots.heard.length === 3 && rules.heard.length === 3), 'channels LISTENed again');
  t.same([slots.heard.at(-1), rules.heard.at(-1), late.heard.length], ['a:6', 'b:7', 1]);
  t.same((await notifier.query<{ one: number }>({ text: 'select 1 as one' })).rows, [{ one: 1 }], 'one-statement reads on the same connection');
  t.equal(await count(), 1, 'still one connection');
});
