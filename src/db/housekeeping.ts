// Periodic tidying, safe to run on every instance at once (each step is one
// idempotent statement). None of it is needed for correctness of bookings:
// - retention: patient fields of bookings ended more than N days ago are
//   nulled (and stripped from their outbox events);
// - holds past their time are put back to 'free' (the slot already counts as
//   free everywhere; this only keeps the column honest for humans and reports);
// - idempotency keys older than their replay window are dropped.
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from './schema.js';

const BATCH = 5_000;
export const IDEMPOTENCY_WINDOW_HOURS = 24;

export async function purgePatientData(db: Kysely<Database>, retentionDays: number): Promise<{ bookings: number; events: number }> {
  const result = await sql<{ bookings: number; events: number }>`
    with purged as (
      update bookings set patient = null, patient_purged_at = now()
       where id in (select id from bookings
                     where patient is not null and ends_at < now() - make_interval(days => ${retentionDays}::int)
                     limit ${BATCH})
      returning id
    ), stripped as (
      update events e set payload = e.payload #- '{booking,patient}'
        from purged p where e.booking_id = p.id and e.payload -> 'booking' ? 'patient'
      returning e.id
    )
    select (select count(*) from purged)::int as bookings, (select count(*) from stripped)::int as events`.execute(db);
  return result.rows[0] ?? { bookings: 0, events: 0 };
}

/** Holds expired for more than `graceMinutes`: long enough that nothing ever leans on this sweep. */
export async function sweepExpiredHolds(db: Kysely<Database>, graceMinutes = 10): Promise<number> {
  const result = await db.updateTable('slots').set({ status: 'free', held_until: null })
    .where('status', '=', 'held').where('held_until', '<=', sql<Date>`now() - make_interval(mins => ${graceMinutes}::int)`).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function expireIdempotencyKeys(db: Kysely<Database>, hours = IDEMPOTENCY_WINDOW_HOURS): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys')
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${hours}::int)`).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface Housekeeping {
  /** One full round; resolves when done (errors are logged, never thrown). */
  run(): Promise<void>;
  stop(): Promise<void>;
}

export function startHousekeeping(db: Kysely<Database>, options: { retentionDays: number; everyMs?: number }, logger: Logger): Housekeeping {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= (async () => {
      // Batches, so one round never holds many row locks for long.
      let purgedBookings = 0;
      for (;;) {
        const batch = (await purgePatientData(db, options.retentionDays)).bookings;
        purgedBookings += batch;
        if (batch < BATCH) break;
      }
      const swept = await sweepExpiredHolds(db);
      const expired = await expireIdempotencyKeys(db);
      if (purgedBookings + swept + expired > 0) logger.info({ purgedBookings, sweptHolds: swept, expiredKeys: expired }, 'housekeeping done');
    })().catch((error) => logger.warn({ err: error }, 'housekeeping failed; will retry'))
      .finally(() => { running = null; });
    return running;
  };
  const timer = setInterval(() => void run(), options.everyMs ?? 60_000);
  timer.unref();
  return {
    run,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
