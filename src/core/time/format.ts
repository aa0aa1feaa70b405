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
// so each zone keeps the text of the instants it wrote: one Map lookup on a
// number. Bounded: emptied when full (a rebuild costs a microsecond per instant).
const TEXT_MEMO_LIMIT = 20_000;
const textMemo = new Map<string, [Map<number, string>, Map<number, string>]>();

function formatWithOffset(instantMs: number, timeZone: string, length: 19 | 23): string {
  let zone = textMemo.get(timeZone);
  if (zone === undefined) textMemo.set(timeZone, zone = [new Map(), new Map()]);
  const memo = zone[length === 19 ? 0 : 1];
  const known = memo.get(instantMs);
  if (known !== undefined) return known;
  const offset = offsetMsAt(timeZone, instantMs);
  const text = new Date(instantMs + offset).toISOString().slice(0, length) + offsetText(offset);
  if (memo.size >= TEXT_MEMO_LIMIT) memo.clear();
  memo.set(instantMs, text);
  return text;
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
