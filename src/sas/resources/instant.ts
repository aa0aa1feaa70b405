// FHIR instants as the SAS IG examples print them: YYYY-MM-DDTHH:MM:SS.000+HH:MM,
// in the territory's own offset (Bundle-ExampleBundleCPTS: "2024-06-12T16:40:00.000+02:00").

import { formatInTimeZone } from 'date-fns-tz';
import type { Instant } from './model.js';

const PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSxxx";

// formatInTimeZone costs ~35 µs a call; a 25-practitioner search prints a few
// thousand instants, and the SAS polls the same 48 h window again and again,
// so the exact strings are memoised (bounded: cleared when full), per zone and
// keyed by the number itself (no key string to build on the hot path).
const MEMO_LIMIT = 100_000;
const memo = new Map<string, Map<number, string>>();
let memoSize = 0;

export function epochMs(instant: Instant): number {
  return typeof instant === 'number' ? instant : instant.getTime();
}

export function formatFhirInstant(instant: Instant, timeZone: string): string {
  const ms = epochMs(instant);
  if (!Number.isFinite(ms)) throw new RangeError('formatFhirInstant: invalid instant');
  let zone = memo.get(timeZone);
  let text = zone?.get(ms);
  if (text === undefined) {
    text = formatInTimeZone(ms, timeZone, PATTERN);
    if (memoSize >= MEMO_LIMIT) { memo.clear(); memoSize = 0; zone = undefined; }
    if (zone === undefined) memo.set(timeZone, (zone = new Map()));
    zone.set(ms, text);
    memoSize++;
  }
  return text;
}

// FHIR instant: seconds and an offset are mandatory; fractions are optional.
const FHIR_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of a FHIR instant, or undefined when malformed or not a real date (Date.parse would roll 02-30 over). */
export function parseFhirInstant(text: string): number | undefined {
  const m = FHIR_INSTANT.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const frac = m[7] ?? '';
  const zone = m[8] ?? 'Z';
  const lastDay = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > lastDay || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMin = 0;
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 14 || om > 59) return undefined;
    offsetMin = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number((frac + '000').slice(0, 3));
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
}
