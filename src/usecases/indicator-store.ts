// What the indicators use case needs: every count of one territory and
// period, read from the system of record. PostgreSQL implements it
// (src/db/indicators/); src/service.ts wires it.
import type { Profession } from '../core/domain.js';

export interface PeriodScope {
  territoryId: string;
  /** Inclusive. */
  start: Date;
  /** Exclusive. */
  end: Date;
}

export interface RequestGroup {
  origin: string;
  /** 'none' when the request was not triaged. */
  orientation: string;
  outcome: string;
  count: number;
}

export interface BookingDelays {
  toBook: number;
  booked: number;
  bookedWithin48h: number;
  bookedWithinMaxDelay: number;
  shareWithin48h: number | null;
  shareWithinMaxDelay: number | null;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface AppointmentCounts {
  total: number;
  booked: number;
  honoured: number;
  noShow: number;
  cancelled: number;
  cancellationRate: number | null;
  noShowRate: number | null;
}

export interface FillRate {
  profession: Profession;
  bandSlots: number;
  bookedSlots: number;
  /** bookedSlots / bandSlots to 4 decimals; null without band slots. */
  rate: number | null;
}

export interface IndicatorRows {
  requests: RequestGroup[];
  delays: BookingDelays;
  appointments: AppointmentCounts;
  fillRates: FillRate[];
}

export interface IndicatorStore {
  read(scope: PeriodScope): Promise<IndicatorRows>;
}
