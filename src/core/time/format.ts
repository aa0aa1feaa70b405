// How instants are written for the outside world: always with the offset of
// the territory's zone, so a reader sees the professional's local time.
import { formatInTimeZone } from 'date-fns-tz';

/** '+01:00' (never 'Z': FHIR and our API both want an explicit numeric offset). */
export function localOffsetString(instant: Date, timeZone: string): string {
  return formatInTimeZone(instant, timeZone, 'xxx');
}

/** FHIR instant: 'YYYY-MM-DDTHH:MM:SS.000+HH:MM' in the zone's local time. */
export function formatLocalIso(instant: Date, timeZone: string): string {
  return formatInTimeZone(instant, timeZone, "yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
}

/** JSON API: plain ISO 8601 with offset, to the second: 'YYYY-MM-DDTHH:MM:SS+HH:MM'. */
export function formatApiDateTime(instant: Date, timeZone: string): string {
  return formatInTimeZone(instant, timeZone, "yyyy-MM-dd'T'HH:mm:ssxxx");
}

/** The local calendar date of an instant: 'YYYY-MM-DD'. */
export function localDateOf(instant: Date, timeZone: string): string {
  return formatInTimeZone(instant, timeZone, 'yyyy-MM-dd');
}
