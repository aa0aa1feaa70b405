// Time-zone facts from the IANA database (through date-fns-tz and Intl):
// the UTC offset at an instant, and which instant a local wall-clock reading denotes.
//
// A "wall-clock ms" value is a local reading encoded as if the zone were UTC:
// 2026-03-29 14:00 in Paris is Date.UTC(2026, 2, 29, 14, 0). Arithmetic on it is
// plain calendar arithmetic; only `instantOfWallClock` turns it into a real instant.
import { formatInTimeZone } from 'date-fns-tz';
import { DAY_MS, MINUTE_MS } from './calendar.js';

const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

/** True for a time-zone name the runtime knows (IANA names such as 'Indian/Reunion'; raw offsets are refused). */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.length > 64 || !IANA_NAME.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The runtime's canonical spelling of a valid zone ('europe/paris' → 'Europe/Paris'). */
export function canonicalTimeZone(timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
}

// Materialising bands for thousands of professionals asks the same questions
// (same zone, same day, same 14:00) over and over; formatting is ~15 µs, so memoise.
const MEMO_LIMIT = 50_000;
const QUARTER_HOUR_MS = 15 * MINUTE_MS;
const offsetMemo = new Map<string, number>();
const instantMemo = new Map<string, number | null>();

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/** UTC offset of `timeZone` at an instant, in ms (Paris in summer: +7_200_000). */
export function offsetMsAt(timeZone: string, instantMs: number): number {
  // The hot path formats many slot times of the same afternoon, so an offset is
  // kept for the whole UTC quarter hour when it holds from the quarter's first
  // millisecond to its last (changes are months apart: at most one falls in a
  // quarter). Most changes fall on a quarter hour, not all: St. John's changed at
  // 00:01 local time until 2011; a quarter holding a change is read at the instant.
  const quarter = Math.floor(instantMs / QUARTER_HOUR_MS);
  const key = `${timeZone}|${quarter}`;
  const known = offsetMemo.get(key);
  if (known !== undefined) return known;
  const first = offsetAt(timeZone, quarter * QUARTER_HOUR_MS);
  if (offsetAt(timeZone, (quarter + 1) * QUARTER_HOUR_MS - 1) !== first) return offsetAt(timeZone, instantMs);
  return remember(offsetMemo, key, first);
}

/** The offset the tz database gives, to the minute (as date-fns-tz writes it). */
function offsetAt(timeZone: string, instantMs: number): number {
  const text = formatInTimeZone(new Date(instantMs), timeZone, 'xxx'); // '+02:00'
  const sign = text.startsWith('-') ? -1 : 1;
  return sign * (Number(text.slice(1, 3)) * 60 + Number(text.slice(4, 6))) * MINUTE_MS;
}

/** The local wall-clock reading of an instant, as wall-clock ms. */
export function wallClockOf(timeZone: string, instantMs: number): number {
  return instantMs + offsetMsAt(timeZone, instantMs);
}

/**
 * The instant at which the clocks of `timeZone` show `wallClockMs`.
 * - a reading skipped by a spring-forward change does not exist: null;
 * - a reading repeated by a fall-back change exists twice: the first (earlier) instant.
 * The offsets a day before and a day after bracket any change near the reading
 * (changes in the tz database are months apart), so at most two candidates exist.
 */
export function instantOfWallClock(timeZone: string, wallClockMs: number): number | null {
  const key = `${timeZone}|${wallClockMs}`;
  const known = instantMemo.get(key);
  if (known !== undefined) return known;
  const candidates = [
    wallClockMs - offsetMsAt(timeZone, wallClockMs - DAY_MS),
    wallClockMs - offsetMsAt(timeZone, wallClockMs + DAY_MS),
  ].sort((a, b) => a - b);
  let found: number | null = null;
  for (const candidate of candidates) {
    if (wallClockOf(timeZone, candidate) === wallClockMs) {
      found = candidate;
      break;
    }
  }
  return remember(instantMemo, key, found);
}

/** Day number of the local date of an instant. */
export function localDayNumberOf(timeZone: string, instantMs: number): number {
  return Math.floor(wallClockOf(timeZone, instantMs) / DAY_MS);
}
