// Every indicator of one territory and period, read from PostgreSQL (the system
// of record). The four queries run side by side on the pool: each is one
// index range scan, so the answer costs about the slowest of them.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { countAppointments, type AppointmentCounts } from './appointments.js';
import { bookingDelays, type BookingDelays } from './booking-delays.js';
import { fillRates, type FillRate } from './fill-rate.js';
import { countRequests, type RequestGroup } from './request-counts.js';
import type { PeriodScope } from './scope.js';

export type { AppointmentCounts, BookingDelays, FillRate, PeriodScope, RequestGroup };
export { SNP_DELAY_MINUTES } from './booking-delays.js';

export interface IndicatorRows {
  requests: RequestGroup[];
  delays: BookingDelays;
  appointments: AppointmentCounts;
  fillRates: FillRate[];
}

export async function readIndicators(db: Kysely<Database>, scope: PeriodScope): Promise<IndicatorRows> {
  const [requests, delays, appointments, rates] = await Promise.all([
    countRequests(db, scope), bookingDelays(db, scope), countAppointments(db, scope), fillRates(db, scope),
  ]);
  return { requests, delays, appointments, fillRates: rates };
}
