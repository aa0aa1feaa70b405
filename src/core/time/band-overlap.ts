// Whether two bands of one professional can ever be on call at the same local time.
// Slots of one professional must never overlap (the database refuses it), so the
// admin API and the seed check bands against each other before saving them.
import { type BandRule, bandWindow } from './band-rule.js';
import { MINUTES_PER_DAY, parseLocalDate } from './calendar.js';

const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** Half-open intervals in minutes of the ISO week (Monday 00:00 = 0), split at the week's end. */
function weeklyIntervals(band: BandRule): Array<[number, number]> {
  const window = bandWindow(band);
  const intervals: Array<[number, number]> = [];
  for (const day of band.daysOfWeek) {
    const start = (day - 1) * MINUTES_PER_DAY + window.start;
    const end = (day - 1) * MINUTES_PER_DAY + window.end;
    if (end <= MINUTES_PER_WEEK) intervals.push([start, end]);
    else intervals.push([start, MINUTES_PER_WEEK], [0, end - MINUTES_PER_WEEK]);
  }
  return intervals;
}

function validityOverlaps(a: BandRule, b: BandRule): boolean {
  const aFrom = parseLocalDate(a.validFrom) ?? -Infinity;
  const bFrom = parseLocalDate(b.validFrom) ?? -Infinity;
  const aUntil = a.validUntil === null ? Infinity : (parseLocalDate(a.validUntil) ?? Infinity);
  const bUntil = b.validUntil === null ? Infinity : (parseLocalDate(b.validUntil) ?? Infinity);
  // One day of slack: a night band opened on its last valid day runs into the next.
  return aFrom <= bUntil + 1 && bFrom <= aUntil + 1;
}

/** Conservative: true when the two bands may produce overlapping slots on some day. */
export function bandsMayOverlap(a: BandRule, b: BandRule): boolean {
  if (!validityOverlaps(a, b)) return false;
  const aIntervals = weeklyIntervals(a);
  return weeklyIntervals(b).some(([bs, be]) => aIntervals.some(([as, ae]) => as < be && bs < ae));
}
