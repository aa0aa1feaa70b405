// Every indicator of one territory and period, read from PostgreSQL (the system
// of record). The four queries run side by side on the pool: each is one
// index range scan, so the answer costs about the slowest of them.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type {
  AppointmentCounts, BookingDelays, FillRate, IndicatorRows, IndicatorStore, PeriodScope, RequestGroup,
} from '../../usecases/indicator-store.js';
import { countAppointments } from './appointments.js';
import { bookingDelays } from './booking-delays.js';
import { fillRates } from './fill-rate.js';
import { countRequests } from './request-counts.js';

export type { AppointmentCounts, BookingDelays, FillRate, IndicatorRows, PeriodScope, RequestGroup };
export { SNP_DELAY_MINUTES } from './booking-delays.js';

export async function readIndicators(db: Kysely<Database>, scope: PeriodScope): Promise<IndicatorRows> {
  const [requests, delays, appointments, rates] = await Promise.all([
    countRequests(db, scope), bookingDelays(db, scope), countAppointments(db, scope), fillRates(db, scope),
  ]);
  return { requests, delays, appointments, fillRates: rates };
}

/** The store the indicators use case reads through. */
export function pgIndicators(db: Kysely<Database>): IndicatorStore {
  return { read: (scope) => readIndicators(db, scope) };
}
