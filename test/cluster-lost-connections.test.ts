// Lost connections on three instances (SPEC §5: no booking or push lost across
// a dropped LISTEN connection or an instance crash):
// - every LISTEN connection killed by PostgreSQL (pg_terminate_backend), three
//   times, with writes in between through the API and straight into the
//   tables: every index catches up, every push arrives once;
// - an instance SIGKILLed under booking load: its professionals reconnect to
//   another instance and receive what they missed, in order, once; in-flight
//   bookings retried elsewhere book once; the instance restarts and resyncs.
import { sql } from 'kysely';
import t from 'tap';
import { openDatabase } from '../src/db/database.js';
import { bookWithRetries, type BookingAttempt } from './helpers/booking-client.js';
import { eventually, startCluster } from './helpers/cluster.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { indexAgrees } from './helpers/index-truth.js';
import { ownedPostgres } from './helpers/owned-postgres.js';
import { nthPatient } from './helpers/patients.js';
import { ProDevice } from './helpers/pro-device.js';
import { http } from './helpers/service.js';

// Each instance LISTENs on one connection, its notifier (src/db/notifications).
const LISTENERS = ['snp-match:notifier'];
const patient = nthPatient;

t.test('lost connections', async (t) => {
  const pg = await ownedPostgres(t);
  const handle = openDatabase(pg.url, { max: 2, applicationName: 'snp-test' });
  t.teardown(() => handle.close());
  const { db } = handle;
  const w = await world(db, { prosPerTerritory: 3 });
  const start = soon();
  const slotsOf = new Map<string, string[]>();
  for (const pro of w.a.pros) slotsOf.set(pro.id, await addSlots(db, pro, { start, count: 40, minutes: 10 }));
  const regulator = await tokenFor(db, 'regulator', ['terr-a']);
  const cluster = await startCluster(t, { databaseUrl: pg.url, instances: 3, env: { REQUEST_TIMEOUT_MS: '60000' } });
  const [i0, i1, i2] = cluster.instances as [typeof cluster.instances[0], typeof cluster.instances[0], typeof cluster.instances[0]];

  // One device per professional, all on i0 (the instance killed in the second part).
  const devices = new Map<string, ProDevice>();
  for (const pro of w.a.pros) {
    const device = new ProDevice(pro.rpps, (await tokenFor(db, 'professional', ['terr-a'], pro.rpps)).token);
    await device.connect(i0);
    devices.set(pro.id, device);
  }
  t.teardown(async () => { for (const d of devices.values()) await d.close(); });

  const bookingsOf = async (proId: string) => (await db.selectFrom('bookings').select('id')
    .where('professional_id', '=', proId).orderBy('created_at').execute()).map((b) => b.id);
  const everyDeviceGotEverything = async () => {
    for (const [proId, device] of devices) {
      const expected = await bookingsOf(proId);
      const got = device.received.filter((e) => e.type === 'booking.created').map((e) => e.bookingId);
      if (got.length !== expected.length || [...got].sort().join() !== [...expected].sort().join()) return false;
    }
    return true;
  };
  const noDuplicates = (device: ProDevice) => new Set(device.received.map((e) => e.eventId)).size === device.received.length;

  await t.test('LISTEN connections killed three times: indexes catch up, pushes arrive once', async (t) => {
    let n = 0;
    for (let round = 0; round < 3; round++) {
      const killed = await sql<{ n: number }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where application_name = any(${LISTENERS})`.execute(db);
      t.equal(killed.rows[0]!.n, 3 * LISTENERS.length, `round ${round}: ${3 * LISTENERS.length} listener connections terminated`);
      // Writes while they reconnect: bookings through each instance, a new slot and a blocked one straight into the tables.
      for (const [k, pro] of w.a.pros.entries()) {
        const slotId = slotsOf.get(pro.id)![round]!;
        const answer = await bookWithRetries({ instances: [cluster.pick(k + round)], token: regulator.token }, slotId, patient(n++));
        t.equal(answer.outcome, 'booked', `booked ${slotId.slice(0, 8)} through ${cluster.pick(k + round).name}`);
      }
      await addSlots(db, w.a.pros[0]!, { start: start + (10 + round) * 3_600_000, count: 1 });
      await db.updateTable('slots').set({ status: 'blocked' }).where('id', '=', slotsOf.get(w.a.pros[1]!.id)![30 + round]!).execute();
      for (const instance of cluster.instances) {
        t.ok(await eventually(() => indexAgrees(instance, regulator.token, db, 'terr-a'), 15_000), `round ${round}: ${instance.name} index equals PostgreSQL`);
      }
    }
    const back = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where application_name = any(${LISTENERS})`.execute(db);
    t.equal(back.rows[0]!.n, 3 * LISTENERS.length, 'every listener reconnected');
    t.ok(await eventually(everyDeviceGotEverything, 15_000), 'every device got every booking of its professional');
    for (const device of devices.values()) t.ok(noDuplicates(device), `${device.name}: no event twice`);
    for (const instance of cluster.instances) t.equal((await http(instance, 'GET', '/readyz')).status, 200, `${instance.name} ready`);
  });

  await t.test('an instance SIGKILLed under load: its professionals resume elsewhere, nothing lost or doubled', async (t) => {
    const attempts: BookingAttempt[] = [];
    let loading = true;
    let n = 1_000;
    const free = [...slotsOf.values()].flatMap((ids) => ids.slice(5, 30));
    const workers = Array.from({ length: 9 }, async (_, worker) => {
      for (let j = worker; loading && j < free.length; j += 9) {
        attempts.push(await bookWithRetries({ instances: cluster.instances, token: regulator.token, patienceMs: 60_000 }, free[j]!, patient(n++), j));
      }
    });
    await eventually(() => attempts.length >= 10, 30_000, 20);
    const closedSockets = [...devices.values()].map((d) => d.closed);
    await i0.kill();
    t.same(i0.exits.at(-1), { code: null, signal: 'SIGKILL' }, 'i0 died by SIGKILL');
    await Promise.all(closedSockets);
    // Each device reconnects to another instance, resuming after its last ack.
    for (const [k, device] of [...devices.values()].entries()) await device.connect(k % 2 === 0 ? i1 : i2);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    loading = false;
    await Promise.all(workers);

    const booked = attempts.filter((a) => a.outcome === 'booked');
    t.comment(`${attempts.length} attempts around the crash: ${booked.length} booked, ${attempts.filter((a) => a.statuses.includes(0)).length} met a dead connection and were retried elsewhere`);
    t.equal(attempts.filter((a) => a.outcome !== 'booked').length, 0, 'every attempt (distinct free slots) booked');
    t.same(attempts.flatMap((a) => a.unclean), [], 'no unclean answer');
    const rows = await db.selectFrom('bookings').select(['id', 'slot_id']).execute();
    const ids = new Set(rows.map((r) => r.id));
    t.ok(booked.every((a) => ids.has(a.bookingId!)), 'every acknowledged booking is in PostgreSQL');
    t.equal(new Set(rows.map((r) => r.slot_id)).size, rows.length, 'no slot booked twice');
    t.equal(rows.length, 3 * 3 + booked.length, 'and nothing else was booked');

    t.ok(await eventually(everyDeviceGotEverything, 20_000), 'every device got every booking of its professional, missed ones included');
    for (const device of devices.values()) {
      t.ok(noDuplicates(device), `${device.name}: no event twice`);
      const order = device.received.map((e) => e.eventId);
      t.same(order, [...order].sort((a, b) => a - b), `${device.name}: events in order across the reconnection`);
    }

    await i0.start();
    t.ok(await eventually(() => indexAgrees(i0, regulator.token, db, 'terr-a'), 15_000), 'i0 restarted: its index equals PostgreSQL');
    for (const instance of [i1, i2]) t.ok(await indexAgrees(instance, regulator.token, db, 'terr-a'), `${instance.name} index equals PostgreSQL`);
  });

  for (const instance of cluster.instances) t.same(instance.unexpectedErrors(), [], `${instance.name} logged no unexpected error`);
});
