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

/**
 * JSON API: plain ISO 8601 with offset, to the second: 'YYYY-MM-DDTHH:MM:SS+HH:MM'. The instant
 * is a Date or epoch ms (the index's slot times, with no Date to allocate).
 */
export function formatApiDateTime(instant: Date | number, timeZone: string): string {
  return formatWithOffset(typeof instant === 'number' ? instant : instant.getTime(), timeZone, 19);
}

// The hot path writes a dozen times per answer: shifting by the (memoised) offset
// and reading the UTC fields costs a microsecond, formatInTimeZone ~20 µs. Slot
// times repeat (every quarter hour of the next days, across many professionals),
// so each zone keeps the text of the whole-minute instants it wrote in a
// direct-mapped table on the minute: an array read and a compare, where a Map
// on the epoch ms (a heap number to hash) was 4 % of a match request's CPU.
// 16,384 minutes is 11 days: the quarter hours of a week's search never
// collide. The API's text stops at the second, so an instant within a second
// (a search's `now` and its horizon, written on every match) is kept in a small
// table on the second; other instants (the FHIR text's milliseconds) are
// written each time.
const MINUTE_MS = 60_000;
const SECOND_MS = 1_000;

/** Texts of instants by a whole number of units (minutes, seconds), direct-mapped on it. */
class TextMemo {
  readonly key: Float64Array;
  readonly text: string[];
  constructor(readonly size: number) {
    this.key = new Float64Array(size).fill(NaN);
    this.text = new Array<string>(size).fill('');
  }
}
interface ZoneMemos { apiByMinute: TextMemo; fhirByMinute: TextMemo; apiBySecond: TextMemo }
const textMemo = new Map<string, ZoneMemos>();

function formatWithOffset(instantMs: number, timeZone: string, length: 19 | 23): string {
  const minute = instantMs / MINUTE_MS;
  const wholeMinute = Number.isInteger(minute);
  if (!wholeMinute && length === 23) return writeWithOffset(instantMs, timeZone, length);
  let zone = textMemo.get(timeZone);
  // 251 seconds: prime, so a search's now and its horizon (a whole number of hours, 48 h being
  // 675 × 256 s) never share an entry.
  if (zone === undefined) textMemo.set(timeZone, zone = { apiByMinute: new TextMemo(1 << 14), fhirByMinute: new TextMemo(1 << 14), apiBySecond: new TextMemo(251) });
  const memo = wholeMinute ? (length === 19 ? zone.apiByMinute : zone.fhirByMinute) : zone.apiBySecond;
  const key = wholeMinute ? minute : Math.floor(instantMs / SECOND_MS);
  const at = ((key % memo.size) + memo.size) % memo.size;
  if (memo.key[at] === key) return memo.text[at]!;
  const text = writeWithOffset(instantMs, timeZone, length);
  memo.key[at] = key;
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
