// The window a coordinator's calendar reads (the slots, the bands of a week): a
// territory, `from`, and `until` at most 8 days later (its default), checked once here.
import { z } from 'zod';
import type { AuthenticatedClient } from '../client.js';
import { validationProblem } from '../problem.js';
import { requireTerritory } from '../scopes.js';
import { requireCoordinator, TERRITORY_ID } from './scope.js';

export const DAY_MS = 86_400_000;
const MAX_SPAN_MS = 8 * DAY_MS;

/** The query of a calendar read, `from` and `until` described for what they bound. Not strict: `?token=` may ride along. */
export function calendarQuerySchema(fromMeans: string, untilMeans: string) {
  return z.object({
    territory: z.string().regex(TERRITORY_ID, 'must be a territory id'),
    from: z.iso.datetime({ offset: true }).meta({ description: fromMeans }),
    until: z.iso.datetime({ offset: true }).optional().meta({ description: `${untilMeans}; default and maximum from + 8 days` }),
  }).meta({ example: { territory: 'venissieux', from: '2026-03-09T00:00:00+01:00', until: '2026-03-16T00:00:00+01:00' } });
}

/** The coordinator's window in epoch ms, or a 400 naming `until`. Without a territory (a read over all of the client's), none to check. */
export function calendarWindow(client: AuthenticatedClient, query: { territory?: string | undefined; from: string; until?: string | undefined }): { from: number; until: number } {
  requireCoordinator(client);
  if (query.territory !== undefined) requireTerritory(client, query.territory);
  const from = Date.parse(query.from);
  const until = query.until === undefined ? from + MAX_SPAN_MS : Date.parse(query.until);
  if (!(until > from)) throw validationProblem([{ field: 'until', message: 'must be after from' }]);
  if (until - from > MAX_SPAN_MS) throw validationProblem([{ field: 'until', message: 'at most 8 days after from' }]);
  return { from, until };
}
