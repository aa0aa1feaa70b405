// An on-call band: a recurring local-time window of one professional, e.g.
// Monday–Saturday 14:00–20:00 in the territory's zone, cut into fixed-length slots.
import { MINUTES_PER_DAY, parseClockTime, parseLocalDate } from './calendar.js';

export interface BandRule {
  /** ISO weekdays on which the window opens: 1 = Monday … 7 = Sunday. */
  daysOfWeek: readonly number[];
  /** 'HH:MM' local time the window opens. */
  localStart: string;
  /** 'HH:MM' local time it closes; '00:00', or a time not after localStart, means the next day. */
  localEnd: string;
  slotMinutes: number;
  /** First local date on which the window opens, 'YYYY-MM-DD'. */
  validFrom: string;
  /** Last local date on which the window opens (inclusive), or null for open-ended. */
  validUntil: string | null;
}

export interface SlotInterval {
  start: Date;
  end: Date;
}

/** A band's window in minutes after local midnight of the day it opens; `end` may exceed 1440. */
export interface BandWindow {
  start: number;
  end: number;
}

/**
 * What is wrong with a band, one line per problem naming the field; empty when valid.
 * Callers validating user input can return these as-is.
 */
export function bandRuleProblems(band: BandRule): string[] {
  const problems: string[] = [];
  const days = band.daysOfWeek;
  if (!Array.isArray(days) || days.length === 0) problems.push('daysOfWeek: at least one ISO weekday (1 = Monday … 7 = Sunday)');
  else if (!days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) problems.push('daysOfWeek: each day is an integer from 1 (Monday) to 7 (Sunday)');
  else if (new Set(days).size !== days.length) problems.push('daysOfWeek: a day is listed twice');
  const start = parseClockTime(band.localStart);
  if (start === null) problems.push("localStart: a local time 'HH:MM' from 00:00 to 23:59");
  if (parseClockTime(band.localEnd, true) === null) problems.push("localEnd: a local time 'HH:MM' from 00:00 to 24:00");
  if (!Number.isInteger(band.slotMinutes) || band.slotMinutes < 1 || band.slotMinutes > MINUTES_PER_DAY) {
    problems.push('slotMinutes: a whole number of minutes from 1 to 1440');
  }
  const from = parseLocalDate(band.validFrom);
  if (from === null) problems.push("validFrom: a calendar date 'YYYY-MM-DD'");
  if (band.validUntil !== null) {
    const until = parseLocalDate(band.validUntil);
    if (until === null) problems.push("validUntil: a calendar date 'YYYY-MM-DD' or null");
    else if (from !== null && until < from) problems.push('validUntil: not before validFrom');
  }
  return problems;
}

export function assertValidBandRule(band: BandRule): void {
  const problems = bandRuleProblems(band);
  if (problems.length > 0) throw new RangeError(`invalid band: ${problems.join('; ')}`);
}

/**
 * The window in local minutes. An end not after the start wraps to the next day,
 * so '22:00'–'06:00' is a night band and '08:00'–'08:00' a full 24 hours.
 */
export function bandWindow(band: BandRule): BandWindow {
  const start = parseClockTime(band.localStart);
  const end = parseClockTime(band.localEnd, true);
  if (start === null || end === null) throw new RangeError('invalid band: localStart/localEnd');
  return { start, end: end > start ? end : end + MINUTES_PER_DAY };
}
