// The booking bar of SPEC §5: ≥ 1,500 bookings/s with p99 ≤ 30 ms, commit
// included. A real service (in this process) on a fresh, durable embedded
// PostgreSQL (fsync on), many fresh slots; the load generator runs in its own
// process, each request booking a distinct slot with a fresh Idempotency-Key.
// Baselines in the same run: a bare Fastify JSON echo route (the HTTP ceiling),
// a route doing one plain INSERT round trip per request (the commit ceiling of
// this disk), and a second service on the same database booking one by one
// (BOOKING_BATCH_MAX=1: what batching concurrent bookings gains). It prints numbers; it never asserts on them.
//
//   node --import tsx bench/booking-http.ts              # 10 s per measurement
//   node --import tsx bench/booking-http.ts --quick      # 2 s (CI)
//   node --import tsx bench/booking-http.ts --fsync-off  # diagnosis: what CPU allows when commits cost no disk flush
//   node --import tsx bench/booking-http.ts --history 0  # no past bookings: empty tables (the transient of a new database)
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createClient } from '../src/auth/clients.js';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { migrate, readMigrations } from '../src/db/migrate.js';
import { startService } from '../src/service.js';
import { BENCH_TERRITORY, createBookableSlots, createBookingHistory } from './booking/dataset.js';
import { load as runLoad, type LoadResult } from './lib/load.js';
import { postgresVersion, writeResults } from './lib/results.js';
import { productionLogger } from './lib/production-logger.js';

export interface BookingBenchResult { echo: LoadResult; insert: LoadResult; booking: LoadResult; alone: LoadResult; bookingsInDatabase: number }

const CONNECTIONS = 20;
const POOL = 20;

export async function run({ quick, fsyncOff = false, secondsOverride, history }: { quick: boolean; fsyncOff?: boolean; secondsOverride?: number; history?: number }): Promise<BookingBenchResult> {
  const seconds = secondsOverride ?? (quick ? 2 : 10);
  // Past bookings already in the database (bench/booking/dataset.ts says why); 0: empty tables.
  const pastBookings = history ?? (quick ? 5_000 : 100_000);
  const warmupSeconds = quick ? 0.5 : 1;
  // Enough distinct slots for the fastest plausible run, warm-up included.
  const perProfessional = 96; // 24 h of 15-minute slots
  const professionals = quick ? 150 : 600; // the batched run and the one-by-one run each take their own slots
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'snp-bench-booking-'));
    closers.push(() => rm(dataDir, { recursive: true, force: true }));
    await chmod(dataDir, 0o755); // the postgres user must reach it when run as root
    // Durable by default: fsync on, synchronous commit, as the service runs it.
    const server = await startEmbeddedPostgres({ dataDir, persistent: false, fast: fsyncOff });
    closers.push(() => server.stop());
    // The data first, so the service starts as in production: territory known, slots in the index.
    const migrator = new pg.Client({ connectionString: server.url });
    await migrator.connect();
    await migrate(migrator, await readMigrations());
    await migrator.end();
    const plain = openDatabase(server.url, { max: POOL, applicationName: 'bench-baseline' });
    closers.push(() => plain.close());
    const slots = await createBookableSlots(plain.db, professionals, perProfessional);
    await createBookingHistory(plain.db, (await createClient(plain.db, { role: 'regulator', territories: [BENCH_TERRITORY], name: 'past bookings' })).id, pastBookings);
    const service = await startService(loadConfig({
      DATABASE_URL: server.url, PORT: '0', LOG_LEVEL: 'info', SEED_DEMO: 'false', NODE_ENV: 'production',
      DB_POOL_MAX: String(POOL), RATE_LIMIT_PER_MINUTE: '1000000',
      // BOOKING_BATCH_MAX=1 in the environment: each booking alone (the comparison without batching).
      BOOKING_BATCH_MAX: process.env.BOOKING_BATCH_MAX,
      // A benchmark measures the ceiling: no load shedding (ignored where the setting does not exist).
      PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
      // The bench guards' test slows the booking path on purpose (off unless set).
      SNP_DEBUG_SLOWDOWN: process.env.SNP_DEBUG_SLOWDOWN,
    }), productionLogger()); // request logging on, as in production (to /dev/null)
    closers.push(() => service.close());
    // Same-run baseline: the same service booking one by one (BOOKING_BATCH_MAX=1), on the same database.
    const aloneService = await startService(loadConfig({
      DATABASE_URL: server.url, PORT: '0', LOG_LEVEL: 'info', SEED_DEMO: 'false', NODE_ENV: 'production',
      DB_POOL_MAX: String(POOL), RATE_LIMIT_PER_MINUTE: '1000000', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0', BOOKING_BATCH_MAX: '1',
      // The slowdown is process-wide: a service started without it would turn it off for both.
      SNP_DEBUG_SLOWDOWN: process.env.SNP_DEBUG_SLOWDOWN,
    }), productionLogger());
    closers.push(() => aloneService.close());
    const echo = Fastify({ logger: false });
    closers.push(() => echo.close());
    const db = service.prepared.database.db;
    const { token } = await createClient(db, { role: 'regulator', territories: [BENCH_TERRITORY], name: 'bench regulator' });
    const headers = { authorization: `Bearer ${token}` };

    echo.post('/echo', async (request) => ({ echo: request.body }));
    echo.post('/insert', async () => {
      await plain.pool.query({ name: 'bench-insert', text: `insert into audit_log (action, entity, details) values ('bench', 'bench', '{}')` });
      return { ok: true };
    });
    await echo.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(echo.server.address() as { port: number }).port}`;
    const patient = { name: 'J. D.', phone: '+33 6 12 34 56 78', age: 34, sex: 'female' };
    const job = { connections: CONNECTIONS, durationSeconds: seconds, headers: {}, bodies: [], idempotent: false };

    // Each baseline warmed up first (JIT, pooled connections), as the booking route is below.
    await runLoad({ ...job, url: `${base}/echo`, body: { slotId: slots[0], patient }, durationSeconds: warmupSeconds });
    const echoResult = await runLoad({ ...job, url: `${base}/echo`, body: { slotId: slots[0], patient } });
    await runLoad({ ...job, url: `${base}/insert`, durationSeconds: warmupSeconds });
    const insertResult = await runLoad({ ...job, url: `${base}/insert` });
    // Warm-up (prepared statements on every pooled connection, JIT), then the measured run on other slots.
    const bodies = slots.map((slotId) => ({ slotId, patient }));
    const half = Math.floor(bodies.length / 2);
    const warm = Math.min(half / 4, Math.round(2_000 * warmupSeconds));
    // One by one first, on the second half of the slots (the first goes to the measured batched run).
    await runLoad({ ...job, url: `${aloneService.url}/v1/bookings`, headers, durationSeconds: warmupSeconds, bodies: bodies.slice(half, half + warm), idempotent: true });
    const alone = await runLoad({ ...job, url: `${aloneService.url}/v1/bookings`, headers, bodies: bodies.slice(half + warm), idempotent: true });
    await runLoad({ ...job, url: `${service.url}/v1/bookings`, headers, durationSeconds: warmupSeconds, bodies: bodies.slice(0, warm), idempotent: true });
    const before = Number((await sql<{ n: string }>`select count(*) as n from bookings`.execute(db)).rows[0]!.n);
    const booking = await runLoad({ ...job, url: `${service.url}/v1/bookings`, headers, bodies: bodies.slice(warm, half), idempotent: true });
    const after = Number((await sql<{ n: string }>`select count(*) as n from bookings`.execute(db)).rows[0]!.n);
    const result = { echo: echoResult, insert: insertResult, booking, alone, bookingsInDatabase: after - before };
    print(result, { quick, fsyncOff, slots: slots.length, seconds, pastBookings });
    if (!fsyncOff) {
      writeResults('booking-http', quick, {
        postgres: await postgresVersion(server.url),
        figures: { pastBookings, bookingRps: booking.requestsPerSecond, bookingP50Ms: booking.p50, bookingP99Ms: booking.p99, bookingNon2xx: booking.non2xx, bookingsCommitted: result.bookingsInDatabase, seconds },
        baselines: { echoRps: echoResult.requestsPerSecond, echoP99Ms: echoResult.p99, insertRps: insertResult.requestsPerSecond, insertP50Ms: insertResult.p50, insertP99Ms: insertResult.p99,
          aloneRps: alone.requestsPerSecond, aloneP99Ms: alone.p99 },
        guarded: { bookingPerInsertThroughput: booking.requestsPerSecond / insertResult.requestsPerSecond },
      });
    }
    return result;
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

function print(r: BookingBenchResult, info: { quick: boolean; fsyncOff: boolean; slots: number; seconds: number; pastBookings: number }): void {
  const row = (name: string, l: LoadResult) =>
    `${name.padEnd(34)} ${l.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${String(l.p50).padStart(4)} ms   p99 ${String(l.p99).padStart(4)} ms   non-2xx ${l.non2xx}   errors ${l.errors}`;
  process.stdout.write([
    `booking over HTTP, ${CONNECTIONS} connections, ${info.seconds} s each, ${info.slots} fresh slots, ${info.pastBookings} past bookings, pool ${POOL}, ${info.fsyncOff ? 'fsync OFF (diagnosis only)' : 'durable commits (fsync on)'}${info.quick ? ', quick' : ''}`,
    row('baseline: bare Fastify JSON echo', r.echo),
    row('baseline: one INSERT round trip', r.insert),
    row('POST /v1/bookings, one by one', r.alone),
    row('POST /v1/bookings (distinct slots)', r.booking),
    `statuses ${JSON.stringify(r.booking.statuses)}; bookings committed ${r.bookingsInDatabase} (answered 201: ${r.booking.statuses['201'] ?? 0})`,
    `bar (SPEC §5): >= 1500 bookings/s and p99 <= 30 ms -> ${r.booking.requestsPerSecond.toFixed(0)}/s, p99 ${r.booking.p99} ms; `
      + `${(100 * r.booking.requestsPerSecond / r.echo.requestsPerSecond).toFixed(0)} % of echo, ${(100 * r.booking.requestsPerSecond / r.insert.requestsPerSecond).toFixed(0)} % of a plain insert, `
      + `${(r.booking.requestsPerSecond / r.alone.requestsPerSecond).toFixed(2)}x the same service booking one by one (BOOKING_BATCH_MAX=1)`,
    '',
  ].join('\n'));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--seconds'); // a shorter measurement (the bench guards' test)
  const history = process.argv.indexOf('--history');
  await run({ quick: process.argv.includes('--quick'), fsyncOff: process.argv.includes('--fsync-off'), ...(at > 0 ? { secondsOverride: Number(process.argv[at + 1]) } : {}),
    ...(history > 0 ? { history: Number(process.argv[history + 1]) } : {}) });
}
