// Periodic tidying, safe to run on every instance at once (each step is one
// idempotent statement). None of it is needed for correctness of bookings:
// - retention: everything patient-related older than N days is cleared
//   (bookings' patient fields and cancel reasons, their outbox events, triage
//   requests' patient, complaint and red flags, reasons in the audit log);
// - holds past their time are put back to 'free' (the slot already counts as
//   free everywhere; this only keeps the column honest for humans and reports);
// - idempotency keys older than their replay window are dropped.
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from './schema.js';

const BATCH = 5_000;
export const IDEMPOTENCY_WINDOW_HOURS = 24;

/**
 * Bookings ended more than `retentionDays` ago lose their patient fields and
 * their free-text cancel reason; their outbox events lose the same (the
 * booking's patient and cancelReason, the event's reason).
 */
export async function purgePatientData(db: Kysely<Database>, retentionDays: number): Promise<{ bookings: number; events: number }> {
  const result = await sql<{ bookings: number; events: number }>`
    with purged as (
      update bookings set patient = null, cancel_reason = null, patient_purged_at = coalesce(patient_purged_at, now())
       where id in (select id from bookings
                     where (patient is not null or cancel_reason is not null) and ends_at < now() - make_interval(days => ${retentionDays}::int)
                     limit ${BATCH})
      returning id
    ), stripped as (
      update events e set payload = (e.payload #- '{booking,patient}' #- '{booking,cancelReason}') - 'reason'
        from purged p where e.booking_id = p.id
         and (e.payload -> 'booking' ? 'patient' or e.payload -> 'booking' ? 'cancelReason' or e.payload ? 'reason')
      returning e.id
    )
    select (select count(*) from purged)::int as bookings, (select count(*) from stripped)::int as events`.execute(db);
  return result.rows[0] ?? { bookings: 0, events: 0 };
}

/**
 * Triage requests made more than `retentionDays` ago keep what the indicators
 * count (origin, territory, commune, orientation, delay, outcome) and lose the
 * patient: age, sex, pregnancy, complaint, red flags and the triage answer (its
 * rule names the complaint).
 */
export async function purgeRequests(db: Kysely<Database>, retentionDays: number): Promise<number> {
  const result = await sql`
    update requests set patient = '{}', complaint = null, red_flags = '{}', triage = null, patient_purged_at = now()
     where id in (select id from requests
                   where patient_purged_at is null and created_at < now() - make_interval(days => ${retentionDays}::int)
                   limit ${BATCH})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Audit entries older than `retentionDays` lose their free-text reason (a cancel, a block, an unavailability): who did what stays. */
export async function purgeAuditReasons(db: Kysely<Database>, retentionDays: number): Promise<number> {
  const result = await sql`
    update audit_log set details = details - 'reason'
     where id in (select id from audit_log
                   where details ? 'reason' and at < now() - make_interval(days => ${retentionDays}::int)
                   limit ${BATCH})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

export interface RetentionRound { bookings: number; events: number; requests: number; auditEntries: number }

/** Every patient-related row past retention, in batches (so one round never holds many row locks for long). */
export async function purgeExpiredPatientData(db: Kysely<Database>, retentionDays: number): Promise<RetentionRound> {
  const total: RetentionRound = { bookings: 0, events: 0, requests: 0, auditEntries: 0 };
  for (let batch = BATCH; batch === BATCH;) {
    const purged = await purgePatientData(db, retentionDays);
    total.bookings += purged.bookings;
    total.events += purged.events;
    batch = purged.bookings;
  }
  for (let batch = BATCH; batch === BATCH;) total.requests += batch = await purgeRequests(db, retentionDays);
  for (let batch = BATCH; batch === BATCH;) total.auditEntries += batch = await purgeAuditReasons(db, retentionDays);
  return total;
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
      const purged = await purgeExpiredPatientData(db, options.retentionDays);
      const swept = await sweepExpiredHolds(db);
      const expired = await expireIdempotencyKeys(db);
      const purgedRows = purged.bookings + purged.events + purged.requests + purged.auditEntries;
      if (purgedRows + swept + expired > 0) logger.info({ purged, sweptHolds: swept, expiredKeys: expired }, 'housekeeping done');
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
