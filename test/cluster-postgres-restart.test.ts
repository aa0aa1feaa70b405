// PostgreSQL restarted in the middle of a booking load on three instances
// (SPEC §5: no booking or push lost across a PostgreSQL restart). Clients
// behave like the SAS: an Idempotency-Key per attempt, retried on 503 or a
// broken connection. Every acknowledged booking is in the database, none
// twice; the only refusals meanwhile are clean 503s with Retry-After; /readyz
// is 503 while the database is gone and 200 after; every index resyncs; each
// professional's device, connected throughout, gets each of its bookings once.
import { sql } from 'kysely';
import t from 'tap';
import { openDatabase } from '../src/db/database.js';
import { bookWithRetries, type BookingAttempt } from './helpers/booking-client.js';
import { eventually, startCluster } from './helpers/cluster.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { indexAgrees } from './helpers/index-truth.js';
import { ownedPostgres } from './helpers/owned-postgres.js';
import { ProDevice } from './helpers/pro-device.js';
import { http } from './helpers/service.js';

const WORKERS = 24;

t.test('a PostgreSQL restart under booking load loses and duplicates nothing', async (t) => {
  const pg = await ownedPostgres(t);
  const handle = openDatabase(pg.url, { max: 2 });
  t.teardown(() => handle.close());
  const { db } = handle;
  const w = await world(db, { prosPerTerritory: 4 });
  const start = soon();
  const slots: string[] = [];
  for (const pro of w.a.pros) slots.push(...await addSlots(db, pro, { start, count: 60, minutes: 10 }));
  // One slot per instance kept from the load, for the bookings after recovery: on a fast
  // machine the workers book all but a couple of the others.
  const keptForAfter = slots.splice(-3);
  const regulator = await tokenFor(db, 'regulator', ['terr-a']);
  const cluster = await startCluster(t, { databaseUrl: pg.url, instances: 3, env: { REQUEST_TIMEOUT_MS: '60000' } });
  const devices = new Map<string, ProDevice>();
  for (const [k, pro] of w.a.pros.entries()) {
    const device = new ProDevice(pro.rpps, (await tokenFor(db, 'professional', ['terr-a'], pro.rpps)).token);
    await device.connect(cluster.pick(k));
    devices.set(pro.id, device);
  }
  t.teardown(async () => { for (const d of devices.values()) await d.close(); });

  // /readyz of every instance, sampled all along.
  const samples: { at: number; instance: string; status: number }[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await Promise.all(cluster.instances.map(async (instance) => {
        const at = Date.now();
        const status = await http(instance, 'GET', '/readyz').then((r) => r.status, () => 0);
        samples.push({ at, instance: instance.name, status });
      }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();

  // Workers book random slots (conflicts included) until told to stop.
  const attempts: BookingAttempt[] = [];
  let loading = true;
  let n = 0;
  const workers = Array.from({ length: WORKERS }, async (_, worker) => {
    while (loading) {
      const i = n++;
      const slotId = slots[(i * 37 + worker) % slots.length]!;
      attempts.push(await bookWithRetries({ instances: cluster.instances, token: regulator.token, patienceMs: 60_000 }, slotId,
        { name: `P${i}`, phone: '+33 6 00 00 00 00' }, i));
    }
  });

  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const bookedBefore = attempts.filter((a) => a.outcome === 'booked').length;
  const stopping = Date.now();
  await pg.stop();
  const stopped = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const restarting = Date.now();
  await pg.start();
  const restarted = Date.now();
  t.comment(`PostgreSQL stopped in ${stopped - stopping} ms (after ${bookedBefore} bookings), down ${restarting - stopped} ms, started in ${restarted - restarting} ms`);
  t.ok(await eventually(async () => (await Promise.all(cluster.instances.map((i) => http(i, 'GET', '/readyz').then((r) => r.status, () => 0))))
    .every((s) => s === 200), 30_000), 'every instance is ready again');
  const readyAgain = Date.now();
  // Go on loading a little with the database back, then stop.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  loading = false;
  await Promise.all(workers);
  sampling = false;
  await sampler;
  t.comment(`every instance ready ${readyAgain - restarted} ms after the restart`);

  const booked = attempts.filter((a) => a.outcome === 'booked');
  const statuses = attempts.flatMap((a) => a.statuses);
  const count = (s: number) => statuses.filter((x) => x === s).length;
  t.comment(`${attempts.length} booking attempts: ${booked.length} booked, ${attempts.filter((a) => a.outcome === 'conflict').length} conflicts; ` +
    `answers: ${count(201)} × 201, ${count(409)} × 409, ${count(503)} × 503, ${count(0)} connection failures`);
  t.ok(count(503) > 0, 'the outage was felt (503s)');
  t.equal(attempts.filter((a) => a.outcome === 'gave-up').length, 0, 'every attempt ended with a definitive answer');
  t.equal(attempts.filter((a) => a.outcome === 'refused').length, 0, 'no attempt was refused otherwise');
  t.same(attempts.flatMap((a) => a.unclean), [], 'no 5xx but clean 503s with Retry-After (problem+json)');

  // Every acknowledged booking is in PostgreSQL, once; nothing else is.
  const rows = await db.selectFrom('bookings').select(['id', 'slot_id', 'status']).execute();
  const inDb = new Map(rows.map((r) => [r.id, r]));
  const missing = booked.filter((a) => inDb.get(a.bookingId!)?.slot_id !== a.slotId);
  t.same(missing, [], 'every 201 is in the database, on its slot');
  t.equal(new Set(booked.map((a) => a.bookingId)).size, booked.length, 'no booking acknowledged twice');
  t.equal(rows.length, booked.length, 'no booking in the database that nobody was told of');
  const doubles = await db.selectFrom('bookings').select('slot_id').groupBy('slot_id').having(sql`count(*)`, '>', 1).execute();
  t.same(doubles, [], 'no slot booked twice');
  const keys = await db.selectFrom('idempotency_keys').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  t.equal(keys.n, booked.length, 'one idempotency record per booking');

  // /readyz told the truth: 503 while the database was gone, 200 at the end.
  const slack = 1_000;
  for (const instance of cluster.instances) {
    const mine = samples.filter((s) => s.instance === instance.name);
    const during = mine.filter((s) => s.at >= stopped + slack && s.at <= restarting);
    t.ok(during.length > 0 && during.every((s) => s.status === 503), `${instance.name}: /readyz 503 throughout the outage (${during.length} samples)`);
    t.equal(mine.at(-1)?.status, 200, `${instance.name}: /readyz 200 after`);
  }

  for (const instance of cluster.instances) {
    t.same(instance.exits, [], `${instance.name} never exited`, { errors: instance.errors().filter((l) => l.msg !== 'request failed').slice(0, 5) });
  }

  // Every push arrived once, on sockets that stayed open through the restart.
  const bookedBy = await db.selectFrom('bookings').select(['id', 'professional_id']).execute();
  for (const [proId, device] of devices) {
    const expected = bookedBy.filter((b) => b.professional_id === proId).map((b) => b.id).sort();
    const complete = await eventually(() => device.received.length >= expected.length, 15_000);
    const got = device.received.map((e) => e.bookingId);
    t.ok(complete && got.length === expected.length && [...got].sort().join() === expected.join(),
      `${device.name} (on ${device.instance}): its ${expected.length} bookings pushed, each once`, { received: got.length });
  }

  // Every index equals PostgreSQL's free slots again, and booking works everywhere at the first try.
  for (const instance of cluster.instances) {
    t.ok(await eventually(() => indexAgrees(instance, regulator.token, db, 'terr-a'), 15_000), `${instance.name}: index resynced`);
  }
  for (const [i, instance] of cluster.instances.entries()) {
    const after = await bookWithRetries({ instances: [instance], token: regulator.token, patienceMs: 5_000 }, keptForAfter[i]!, { name: 'After', phone: '+33 6 00 00 00 00' });
    t.same([after.outcome, after.statuses], ['booked', [201]], `${instance.name}: books at the first try after recovery`);
  }
});
