// problem+json (RFC 9457) as the OpenAPI document shows it. Loose objects: the
// serialiser must keep every extension member (alternatives, errors, …).
import { z } from 'zod';
import { candidateSchema } from '../../usecases/match.js';

export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional()
    .meta({ description: 'Each offending field, e.g. "body.slotId" or "headers.idempotency-key"' }),
}).meta({
  description: 'application/problem+json (RFC 9457)',
  example: { type: 'urn:problem:snp-match:validation', title: 'Invalid request', status: 400, detail: 'body.slotId: Invalid UUID', errors: [{ field: 'body.slotId', message: 'Invalid UUID' }] },
});

export const slotConflictSchema = problemSchema.extend({
  slotId: z.string().optional(),
  reason: z.enum(['booked', 'held', 'blocked', 'started']).optional(),
  alternatives: z.array(candidateSchema).optional().meta({ description: 'The next best free slots of the same profession and territory, nearest to the lost one' }),
}).meta({
  description: 'The slot was taken (or is no longer bookable): the next best candidates are attached',
  example: {
    type: 'urn:problem:snp-match:slot-unavailable', title: 'Slot unavailable', status: 409, detail: 'slot 6c1f0e2a-58b4-4d9e-8f51-0d7b9f5a2e33 is already booked',
    slotId: '6c1f0e2a-58b4-4d9e-8f51-0d7b9f5a2e33', reason: 'booked',
    alternatives: [{ slot: { id: '7d2a1f3b-69c5-4e0f-9a62-1e8c0a6b3f44', start: '2026-03-10T15:00:00+01:00', end: '2026-03-10T15:20:00+01:00', modality: 'office' }, professional: { rpps: '10000000022', name: 'Paul Bernard', profession: 'gp', skills: [] }, site: { commune: '69259', lat: 45.697, lon: 4.886 }, distanceKm: 0.8 }],
  },
});

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each offending field',
  401: 'Missing, malformed, unknown or revoked bearer token',
  403: 'The client\'s role or territories do not allow this',
  404: 'Not found, or not visible to this client',
  409: 'Conflict with the current state',
  413: 'Body larger than BODY_LIMIT_BYTES',
  415: 'Body not application/json',
  422: 'Idempotency-Key reused with a different body',
  414: 'A path parameter longer than 100 characters',
  429: 'Rate limit exceeded; see Retry-After',
  431: 'URL or headers too large (refused before routing)',
  503: 'Overloaded, the database unavailable or the slot index still loading; see Retry-After',
};

/** Error responses for a route's OpenAPI entry. */
export function problemResponses(...codes: number[]): Record<number, z.ZodType> {
  return Object.fromEntries(codes.map((code) => [code, problemSchema.meta({ description: DESCRIPTIONS[code] ?? 'Error' })]));
}

export const idParamsSchema = z.object({ id: z.uuid() });
