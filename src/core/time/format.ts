// How instants are written for the outside world: always with the offset of
// the territory's zone, so a reader sees the professional's local time.
import { formatInTimeZone } from 'date-fns-tz';
import { offsetMsAt } from './zone.js';

/** '+01:00' (never 'Z': FHIR and our API both want an explicit numeric offset). */
export function localOffsetString(instant: Date, timeZone: string): string {
  return formatInTimeZone(instant, timeZone, 'xxx');
}

/** FHIR instant: 'YYYY-MM-DDTHH:MM:SS.000+HH:MM' in the zone's local time. */
export function formatLocalIso(instant: Date, timeZone: string): string {
  return formatWithOffset(instant.getTime(), timeZone, 23);
}

/** JSON API: plain ISO 8601 with offset, to the second: 'YYYY-MM-DDTHH:MM:SS+HH:MM'. */
export function formatApiDateTime(instant: Date, timeZone: string): string {
  return formatWithOffset(instant.getTime(), timeZone, 19);
}

// The hot path writes a dozen times per answer: shifting by the (memoised) offset
// and reading the UTC fields costs a microsecond, formatInTimeZone ~20 µs. Slot
// times repeat (every quarter hour of the next days, across many professionals),
// so each zone keeps the text of the whole-minute instants it wrote in a
// direct-mapped table on the minute: an array read and a compare, where a Map
// on the epoch ms (a heap number to hash) was 4 % of a match request's CPU.
// 16,384 minutes is 11 days: the quarter hours of a week's search never
// collide. Other instants (seconds, milliseconds) are written each time.
const MINUTE_MS = 60_000;
const MEMO_SIZE = 1 << 14;

class TextMemo {
  readonly minute = new Float64Array(MEMO_SIZE).fill(NaN);
  readonly text = new Array<string>(MEMO_SIZE).fill('');
}
const textMemo = new Map<string, [TextMemo, TextMemo]>();

function formatWithOffset(instantMs: number, timeZone: string, length: 19 | 23): string {
  const minute = instantMs / MINUTE_MS;
  if (!Number.isInteger(minute)) return writeWithOffset(instantMs, timeZone, length);
  let zone = textMemo.get(timeZone);
  if (zone === undefined) textMemo.set(timeZone, zone = [new TextMemo(), new TextMemo()]);
  const memo = zone[length === 19 ? 0 : 1];
  const at = minute & (MEMO_SIZE - 1);
  if (memo.minute[at] === minute) return memo.text[at]!;
  const text = writeWithOffset(instantMs, timeZone, length);
  memo.minute[at] = minute;
  memo.text[at] = text;
  return text;
}

function writeWithOffset(instantMs: number, timeZone: string, length: 19 | 23): string {
  const offset = offsetMsAt(timeZone, instantMs);
  return new Date(instantMs + offset).toISOString().slice(0, length) + offsetText(offset);
}

function offsetText(offsetMs: number): string {
  const minutes = Math.abs(offsetMs) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${offsetMs < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** The local calendar date of an instant: 'YYYY-MM-DD'. */
export function localDateOf(instant: Date, timeZone: string): string {
  return formatInTimeZone(instant, timeZone, 'yyyy-MM-dd');
}
