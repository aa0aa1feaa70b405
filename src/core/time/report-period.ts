// A reporting period: whole local calendar days in the territory's zone. The
// CPTS reports "Sunday 25 October", not 24 hours of UTC: a day across a DST
// change lasts 23 or 25 hours, and a month is its local first to last day.
import { fromZonedTime } from 'date-fns-tz';
import { DAY_MS, formatLocalDate, isoWeekday, parseLocalDate } from './calendar.js';
import { localDayNumberOf } from './zone.js';

export const PERIOD_KINDS = ['day', 'week', 'month', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The longest custom range: a (leap) year of days. */
export const MAX_PERIOD_DAYS = 366;

export interface ReportPeriod {
  kind: PeriodKind;
  /** First local date, 'YYYY-MM-DD'. */
  firstDay: string;
  /** Last local date, inclusive. */
  lastDay: string;
  /** Local midnight opening the first day. */
  start: Date;
  /** Local midnight after the last day (exclusive). */
  end: Date;
}

export interface PeriodRequest {
  kind: PeriodKind;
  from?: string | undefined;
  to?: string | undefined;
}

/** Why a request does not name a period: the offending parameter and a message. */
export interface PeriodProblem { field: 'from' | 'to'; message: string }

/** The period asked for, or what is wrong with the request. `from` defaults to today in the zone. */
export function resolvePeriod(request: PeriodRequest, timeZone: string, nowMs: number): ReportPeriod | PeriodProblem {
  const from = request.from === undefined ? localDayNumberOf(timeZone, nowMs) : parseLocalDate(request.from);
  if (from === null) return { field: 'from', message: 'a calendar date YYYY-MM-DD' };
  if (request.kind !== 'custom' && request.to !== undefined) return { field: 'to', message: `only a custom period takes an end date (this is a ${request.kind})` };
  let first = from;
  let last = from;
  switch (request.kind) {
    case 'day':
      break;
    case 'week': // the ISO week (Monday to Sunday) holding `from`
      first = from - (isoWeekday(from) - 1);
      last = first + 6;
      break;
    case 'month': {
      const date = new Date(from * DAY_MS);
      first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
      last = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS - 1;
      break;
    }
    case 'custom': {
      if (request.from === undefined) return { field: 'from', message: 'a custom period needs from (YYYY-MM-DD)' };
      if (request.to === undefined) return { field: 'to', message: 'a custom period needs to (YYYY-MM-DD, inclusive)' };
      const to = parseLocalDate(request.to);
      if (to === null) return { field: 'to', message: 'a calendar date YYYY-MM-DD' };
      if (to < from) return { field: 'to', message: 'not before from' };
      if (to - from + 1 > MAX_PERIOD_DAYS) return { field: 'to', message: `at most ${MAX_PERIOD_DAYS} days from from` };
      last = to;
    }
  }
  return { kind: request.kind, firstDay: formatLocalDate(first), lastDay: formatLocalDate(last), start: localMidnight(first, timeZone), end: localMidnight(last + 1, timeZone) };
}

export function isPeriodProblem(value: ReportPeriod | PeriodProblem): value is PeriodProblem {
  return 'field' in value;
}

/** The instant the local day begins (date-fns-tz moves a midnight that a clock change skips to the first valid instant). */
function localMidnight(dayNumber: number, timeZone: string): Date {
  return fromZonedTime(`${formatLocalDate(dayNumber)}T00:00:00`, timeZone);
}
