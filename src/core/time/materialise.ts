// Cutting a band into slots, in the local wall-clock time of the territory.
//
// Rules (each one keeps the slot table free of surprises for patients and professionals):
// 1. Slots are cut in wall-clock time from localStart, every slotMinutes; a partial
//    last slot that would cross localEnd is dropped. A 14:00–20:00 band therefore
//    runs 14:00–20:00 local on every day, the DST days included.
// 2. Weekdays and validity dates apply to the local date on which the window OPENS:
//    a Monday 22:00–06:00 band yields the night from Monday to Tuesday.
// 3. A slot is [start, end). If a wall-clock minute of it does not exist (the hour
//    skipped when clocks spring forward) the slot is skipped.
// 4. A wall-clock time that exists twice (the hour repeated when clocks fall back)
//    means its first occurrence; the repeated hour itself gets no slots.
// 5. Every slot lasts exactly slotMinutes of elapsed time: a slot that would straddle
//    a clock change (and so last longer or shorter) is skipped. Slots are therefore
//    sorted, never overlap, and never have zero or negative length.
// Only slots whose start instant lies in [from, until) are returned.
import { type BandRule, type SlotInterval, assertValidBandRule, bandWindow } from './band-rule.js';
import { DAY_MS, MINUTE_MS, isoWeekday, parseLocalDate } from './calendar.js';
import { instantOfWallClock, isValidTimeZone, localDayNumberOf } from './zone.js';

export function materialiseBand(band: BandRule, timeZone: string, from: Date, until: Date): SlotInterval[] {
  assertValidBandRule(band);
  if (!isValidTimeZone(timeZone)) throw new RangeError(`invalid time zone: ${String(timeZone)}`);
  const fromMs = from.getTime();
  const untilMs = until.getTime();
  if (Number.isNaN(fromMs) || Number.isNaN(untilMs)) throw new RangeError('invalid from/until date');
  if (fromMs >= untilMs) return [];

  const window = bandWindow(band);
  const weekdays = new Set(band.daysOfWeek);
  const validFrom = parseLocalDate(band.validFrom) as number;
  const validUntil = band.validUntil === null ? Infinity : (parseLocalDate(band.validUntil) as number);
  // A window lasts at most a day, so the window holding a slot opened on the slot's
  // local date or the day before; one more day each side absorbs clock changes.
  const firstDay = Math.max(validFrom, localDayNumberOf(timeZone, fromMs) - 2);
  const lastDay = Math.min(validUntil, localDayNumberOf(timeZone, untilMs) + 1);

  const slots: SlotInterval[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    if (!weekdays.has(isoWeekday(day))) continue;
    for (const [start, end] of windowSlots(timeZone, day, window.start, window.end, band.slotMinutes)) {
      if (start >= fromMs && start < untilMs) slots.push({ start: new Date(start), end: new Date(end) });
    }
  }
  return slots;
}

/** The [start, end] instants (ms) of the slots of one window opening on `day`. */
function windowSlots(timeZone: string, day: number, startMinute: number, endMinute: number, slotMinutes: number): Array<[number, number]> {
  const slotMs = slotMinutes * MINUTE_MS;
  const count = Math.floor((endMinute - startMinute) / slotMinutes);
  const wallStart = day * DAY_MS + startMinute * MINUTE_MS;
  const wallEnd = wallStart + count * slotMs;
  const out: Array<[number, number]> = [];
  if (count === 0) return out;

  // Usual case: no clock change inside the window, one offset for every slot.
  const first = instantOfWallClock(timeZone, wallStart);
  const lastMinute = instantOfWallClock(timeZone, wallEnd - MINUTE_MS);
  if (first !== null && lastMinute !== null && lastMinute + MINUTE_MS - first === wallEnd - wallStart) {
    for (let k = 0; k < count; k++) out.push([first + k * slotMs, first + (k + 1) * slotMs]);
    return out;
  }
  // A clock change falls inside the window: resolve each slot on its own.
  for (let k = 0; k < count; k++) {
    const slotWall = wallStart + k * slotMs;
    const start = instantOfWallClock(timeZone, slotWall);
    const last = instantOfWallClock(timeZone, slotWall + slotMs - MINUTE_MS);
    if (start === null || last === null) continue; // rule 3: a minute of it does not exist
    const end = last + MINUTE_MS;
    if (end - start !== slotMs) continue; // rule 5: it straddles a clock change
    out.push([start, end]);
  }
  return out;
}
