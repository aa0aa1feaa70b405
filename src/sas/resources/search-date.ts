// Values of a FHIR date search parameter (R4 search.html#date), restricted to
// what the IG's SPDateDebutSlot (SearchParameter slot-sp-start) declares: the
// comparators ge and le. A value stands for the range its precision implies
// (2024-06-12 = the whole day), so "ge" takes the range's first millisecond
// and "le" its last. Values without an offset are wall times in the zone given.

import { fromZonedTime } from 'date-fns-tz';

export type DatePrefix = 'ge' | 'le';

export interface DateParam {
  prefix: DatePrefix;
  /** Inclusive bound in epoch milliseconds. */
  bound: number;
}

// prefix, date, time (hh:mm[:ss[.fff]]), offset. A space stands for "+" that a
// form-decoding query parser turned into one.
const DATE_VALUE =
  /^([a-z]{2})?(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+\- ]\d{2}:\d{2})?)?$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function offsetMinutes(text: string): number | undefined {
  if (text === 'Z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const hours = Number(text.slice(1, 3));
  const minutes = Number(text.slice(4, 6));
  if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) return undefined;
  return sign * (hours * 60 + minutes);
}

/** Epoch ms of a wall-clock time, either at a fixed offset or in an IANA zone. */
function toEpoch(
  y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number,
  offset: number | undefined, timeZone: string,
): number {
  if (offset !== undefined) return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
  const wall = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}`;
  return fromZonedTime(wall, timeZone).getTime();
}

export function parseDateParam(value: string, timeZone: string): DateParam | { error: string } {
  const m = DATE_VALUE.exec(value);
  if (!m) {
    return {
      error: `${JSON.stringify(value)} is not a date search value such as ge2024-06-12T16:20:00.000+02:00 `
        + '(YYYY-MM-DD, optional Thh:mm[:ss[.fff]] and offset, at most millisecond precision)',
    };
  }
  const [, prefix, ys, mos, ds, hs, mis, ss, frac, off] = m;
  if (prefix !== 'ge' && prefix !== 'le') {
    return { error: `only the comparators ge and le are supported (got ${JSON.stringify(prefix ?? '')})` };
  }
  const [y, mo, d] = [Number(ys), Number(mos), Number(ds)];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return { error: `${value}: no such date` };
  const hasTime = hs !== undefined;
  const [h, mi, s] = [Number(hs ?? 0), Number(mis ?? 0), Number(ss ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return { error: `${value}: no such time of day` };
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, '0'));
  let offset: number | undefined;
  if (off !== undefined) {
    offset = offsetMinutes(off);
    if (offset === undefined) return { error: `${value}: offset out of range` };
  }

  const lower = toEpoch(y, mo, d, h, mi, s, ms, offset, timeZone);
  if (prefix === 'ge') return { prefix, bound: lower };
  // "le": last millisecond of the range the value's precision spans.
  let upper: number;
  if (!hasTime) {
    const next = new Date(Date.UTC(y, mo - 1, d + 1));
    upper = toEpoch(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, 0, 0, offset, timeZone) - 1;
  } else if (ss === undefined) upper = lower + 59_999;
  else if (frac === undefined) upper = lower + 999;
  else upper = lower + 10 ** (3 - frac.length) - 1;
  return { prefix, bound: upper };
}
