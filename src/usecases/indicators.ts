// SNP indicators of one territory and period (issue 9): what the CPTS reports
// for its ACI contract. Computed in PostgreSQL (src/db/indicators/); this use
// case checks scope, resolves the local-calendar period and shapes the answer.
// Transport-neutral: the CSV form is built from the same report (indicators-csv.ts).
import { z } from 'zod';
import { defaultTerritory, requireRole, requireTerritory } from './scopes.js';
import { ORIENTATIONS, PROFESSIONS } from '../core/domain.js';
import { ROLES } from './client.js';
import { formatApiDateTime } from '../core/time/format.js';
import { isPeriodProblem, PERIOD_KINDS, resolvePeriod } from '../core/time/report-period.js';
import type { AuthenticatedClient } from './client.js';
import type { IndicatorRows } from './indicator-store.js';
import type { UseCaseContext } from './context.js';
import { notFound, validationProblem } from './problem.js';

export const INDICATOR_ROLES = ['coordinator'] as const;

/** Request outcomes that mean "nothing could be offered" (src/usecases/requests.ts records them). */
export const UNMATCHED_REASONS = ['no-slot', 'no-eligible-profession', 'no-eligible-modality', 'out-of-territory'] as const;
const ORIENTATION_KEYS = [...ORIENTATIONS, 'none'] as const;

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

// Not strict: `token` may ride in the query string (authentication reads it).
export const indicatorsQuerySchema = z.object({
  territory: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a territory id').optional()
    .meta({ description: 'Default: the client\'s territory when it has only one' }),
  period: z.enum(PERIOD_KINDS).default('day')
    .meta({ description: 'day, week (ISO, Monday to Sunday), month, or custom (from..to); local calendar days of the territory\'s zone' }),
  from: localDate.optional().meta({ description: 'A local date in the period (day, week, month; default today), or the first day of a custom range' }),
  to: localDate.optional().meta({ description: 'Last day (inclusive) of a custom range, at most 366 days' }),
  format: z.enum(['json', 'csv']).optional().meta({ description: 'csv: same as Accept: text/csv' }),
});
export type IndicatorsQuery = z.infer<typeof indicatorsQuerySchema>;

const count = z.number().int().nonnegative();
const share = z.number().min(0).max(1).nullable();
const keyed = <K extends string>(keys: readonly K[]) => z.object(Object.fromEntries(keys.map((k) => [k, count])) as Record<K, typeof count>);

export const indicatorsReportSchema = z.object({
  territory: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
  period: z.object({
    kind: z.enum(PERIOD_KINDS),
    from: z.string().meta({ description: 'First local date' }),
    to: z.string().meta({ description: 'Last local date (inclusive)' }),
    start: z.string().meta({ description: 'Local midnight opening the period, with its offset' }),
    end: z.string().meta({ description: 'Local midnight closing it (exclusive)' }),
    hours: z.number().meta({ description: 'Elapsed hours: a day across a DST change has 23 or 25' }),
  }),
  requests: z.object({
    total: count,
    byOrigin: keyed(ROLES),
    byOrientation: keyed(ORIENTATION_KEYS).meta({ description: 'none: not triaged' }),
    byOutcome: z.record(z.string(), count),
  }).meta({ description: 'Requests created in the period, including those from a commune outside every territory sent by this territory\'s clients' }),
  unmatched: z.object({ total: count, byReason: keyed(UNMATCHED_REASONS) }).meta({ description: 'Requests for which nothing could be offered, by outcome' }),
  delays: z.object({
    toBook: count.meta({ description: 'Requests of the period oriented to a booking, from a commune of the territory' }),
    booked: count.meta({ description: 'Of those, with an appointment booked (not cancelled)' }),
    bookedWithin48h: count,
    bookedWithinMaxDelay: count.meta({ description: 'Appointment start within the triage\'s maximum delay of the request' }),
    shareWithin48h: share.meta({ description: 'bookedWithin48h / toBook (4 decimals); null when toBook is 0' }),
    shareWithinMaxDelay: share,
    medianMinutes: z.number().nullable().meta({ description: 'Median delay from request to appointment start, minutes (percentile_cont)' }),
    p90Minutes: z.number().nullable(),
  }),
  appointments: z.object({
    total: count,
    booked: count.meta({ description: 'Still booked: upcoming or not yet recorded' }),
    honoured: count,
    noShow: count,
    cancelled: count,
    cancellationRate: share.meta({ description: 'cancelled / total' }),
    noShowRate: share.meta({ description: 'noShow / (honoured + noShow)' }),
  }).meta({ description: 'Bookings whose appointment starts in the period' }),
  fillRate: z.array(z.object({
    profession: z.enum(PROFESSIONS),
    bandSlots: count.meta({ description: 'On-call band slots starting in the period, not blocked' }),
    bookedSlots: count,
    rate: share,
  })).meta({ description: 'Per profession with band slots in the period' }),
});
export type IndicatorsReport = z.infer<typeof indicatorsReportSchema>;

export async function computeIndicators(ctx: UseCaseContext, client: AuthenticatedClient, query: IndicatorsQuery): Promise<IndicatorsReport> {
  requireRole(client, INDICATOR_ROLES);
  const territoryId = query.territory ?? defaultTerritory(client);
  if (territoryId === undefined) throw validationProblem([{ field: 'territory', message: 'this client has several territories: name one' }]);
  requireTerritory(client, territoryId);
  const territory = ctx.territories.territory(territoryId);
  if (territory === undefined) throw notFound(`territory ${territoryId}`);
  const period = resolvePeriod({ kind: query.period, from: query.from, to: query.to }, territory.timeZone, ctx.now());
  if (isPeriodProblem(period)) throw validationProblem([{ field: period.field, message: period.message }]);
  const rows = await ctx.indicators.read({ territoryId, start: period.start, end: period.end });
  const tz = territory.timeZone;
  return {
    territory: { id: territory.id, name: territory.name, timeZone: tz },
    period: {
      kind: period.kind, from: period.firstDay, to: period.lastDay,
      start: formatApiDateTime(period.start, tz), end: formatApiDateTime(period.end, tz),
      hours: (period.end.getTime() - period.start.getTime()) / 3_600_000,
    },
    ...requestSections(rows),
    delays: rows.delays,
    appointments: rows.appointments,
    fillRate: rows.fillRates,
  };
}

function requestSections(rows: IndicatorRows): Pick<IndicatorsReport, 'requests' | 'unmatched'> {
  const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  const byOrigin = zeros(ROLES);
  const byOrientation = zeros(ORIENTATION_KEYS);
  const byOutcome: Record<string, number> = {};
  const byReason = zeros(UNMATCHED_REASONS);
  let total = 0;
  for (const group of rows.requests) {
    total += group.count;
    if (Object.hasOwn(byOrigin, group.origin)) byOrigin[group.origin as keyof typeof byOrigin] += group.count;
    if (Object.hasOwn(byOrientation, group.orientation)) byOrientation[group.orientation as keyof typeof byOrientation] += group.count;
    byOutcome[group.outcome] = (byOutcome[group.outcome] ?? 0) + group.count;
    if (Object.hasOwn(byReason, group.outcome)) byReason[group.outcome as keyof typeof byReason] += group.count;
  }
  const unmatched = Object.values(byReason).reduce((a, b) => a + b, 0);
  return { requests: { total, byOrigin, byOrientation, byOutcome }, unmatched: { total: unmatched, byReason } };
}
