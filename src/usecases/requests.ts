// POST /v1/requests (SPEC §6): triage, then, for a booking orientation, the
// match the triage asks for; the request is recorded with its outcome (for
// the indicators) and committed before the answer leaves.
// Transport-neutral: the WebSocket counter calls createRequest too.
import { z } from 'zod';
import { requireRole } from './scopes.js';
import type { TriageDecision } from '../core/triage/index.js';
import type { AuthenticatedClient } from './client.js';
import type { UseCaseContext } from './context.js';
import { candidateSchema, candidateView, ensureIndexReady, matchOptionsShape, searchIndex, searchedView, type CandidateView } from './match.js';
import { validationProblem } from './problem.js';
import { searchForDecision } from './request-search.js';
import {
  decide, placeOf, TRIAGE_ROLES, triageInputOf, triageInputShape, triageResponseSchema, triageView, type TriageResponse,
} from './triage.js';

export const REQUEST_OUTCOMES = [
  'candidates', 'no-slot', 'no-eligible-profession', 'no-eligible-modality', 'out-of-territory', 'call-15', 'pharmacy-protocol',
] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

export const createRequestSchema = z.strictObject({
  ...triageInputShape,
  ...matchOptionsShape,
  commune: matchOptionsShape.commune.meta({ description: 'The patient\'s commune (INSEE code). A commune outside every territory is recorded as out-of-territory, with no candidates.' }),
  territory: matchOptionsShape.territory.meta({ description: 'Without a commune: the territory to search' }),
  professions: matchOptionsShape.professions.meta({ description: 'Narrows the professions the triage allows (never widens them)' }),
  modalities: matchOptionsShape.modalities.meta({ description: 'Narrows the modalities the triage allows' }),
  skills: matchOptionsShape.skills.meta({ description: 'Added to the skills the triage requires' }),
  horizonHours: matchOptionsShape.horizonHours.meta({ description: 'Shortens the search; it never extends beyond the triage\'s maximum delay' }),
}).meta({
  example: { patient: { age: 45, sex: 'male' }, complaint: 'back-pain', redFlags: [], commune: '69259', limit: 3 },
});
export type CreateRequestInput = z.infer<typeof createRequestSchema>;

export const createRequestResponseSchema = z.object({
  request: z.object({ id: z.uuid() }),
  triage: triageResponseSchema,
  outcome: z.enum(REQUEST_OUTCOMES).meta({ description: 'candidates; no-slot; no-eligible-profession / no-eligible-modality (your narrowing left nothing); out-of-territory; call-15 or pharmacy-protocol (nothing to book)' }),
  reason: z.string().optional().meta({ description: 'Why there are no candidates' }),
  candidates: z.array(candidateSchema).meta({ description: 'Earliest first within the triage\'s delay, across its professions' }),
  searched: z.object({ territory: z.string(), from: z.string(), until: z.string() }).optional(),
}).meta({
  example: {
    request: { id: '0b7e6f2c-3d1a-4c5b-9e8f-7a6b5c4d3e2f' },
    triage: {
      orientation: 'book', maxDelayMinutes: 1440, professions: ['gp', 'physio'], skills: [], modalities: ['office', 'home'],
      rule: { id: 'back-pain', version: 1 }, reason: 'Lombalgie aiguë sans signe de gravité : médecin généraliste ou kinésithérapeute sous 24 h.', territory: 'venissieux',
    },
    outcome: 'candidates',
    candidates: [{ slot: { id: '6c1f0e2a-58b4-4d9e-8f51-0d7b9f5a2e33', start: '2026-03-10T14:20:00+01:00', end: '2026-03-10T14:40:00+01:00', modality: 'office' }, professional: { rpps: '10000000014', name: 'Anne Martin', profession: 'physio', skills: [] }, site: { commune: '69259', lat: 45.697, lon: 4.886 }, distanceKm: 0.4 }],
    searched: { territory: 'venissieux', from: '2026-03-10T14:02:11+01:00', until: '2026-03-11T14:02:11+01:00' },
  },
});
export type CreateRequestResponse = z.infer<typeof createRequestResponseSchema>;

interface Answer {
  outcome: RequestOutcome;
  reason?: string;
  candidates: CandidateView[];
  searched?: CreateRequestResponse['searched'];
}

export async function createRequest(ctx: UseCaseContext, client: AuthenticatedClient, input: CreateRequestInput): Promise<CreateRequestResponse> {
  requireRole(client, TRIAGE_ROLES);
  const place = placeOf(ctx, client, input);
  if (place === undefined) throw validationProblem([{ field: 'commune', message: 'give the patient\'s commune (or a territory)' }]);
  const triageInput = triageInputOf(input);
  const decision = decide(ctx.ruleSets.inForce(place.territoryId), triageInput);
  const answer = orient(ctx, client, input, decision, place.territoryId);
  const triage = triageView(decision, place.territoryId);

  // Only what the triage used: no name, no contact, nothing that identifies the patient.
  const patient = { age: triageInput.patient.age, sex: triageInput.patient.sex, ...(triageInput.patient.pregnant !== undefined ? { pregnant: triageInput.patient.pregnant } : {}) };
  const id = await ctx.requests.record({
    territoryId: place.territoryId,
    clientId: client.id,
    origin: client.role,
    communeCode: place.communeCode,
    patient,
    complaint: triageInput.complaint,
    redFlags: [...triageInput.redFlags],
    triage,
    orientation: decision.orientation,
    maxDelayMinutes: decision.maxDelayMinutes,
    outcome: answer.outcome,
    candidatesCount: answer.candidates.length,
  });

  return {
    request: { id },
    triage,
    outcome: answer.outcome,
    ...(answer.reason !== undefined ? { reason: answer.reason } : {}),
    candidates: answer.candidates,
    ...(answer.searched !== undefined ? { searched: answer.searched } : {}),
  };
}

/** What the decision means for this request: nothing to book, or the search it asks for. */
function orient(ctx: UseCaseContext, client: AuthenticatedClient, input: CreateRequestInput, decision: TriageDecision, territoryId: string | null): Answer {
  if (decision.orientation === 'call-15') return { outcome: 'call-15', reason: decision.reason, candidates: [] };
  if (decision.orientation === 'pharmacy-protocol') return { outcome: 'pharmacy-protocol', reason: decision.reason, candidates: [] };
  if (territoryId === null) {
    return { outcome: 'out-of-territory', reason: `commune ${input.commune ?? ''} is in no territory of this service: no slot can be offered here`, candidates: [] };
  }
  ensureIndexReady(ctx);
  const plan = searchForDecision(ctx, client, decision, input);
  if (plan.kind === 'none') return { outcome: plan.outcome, reason: plan.reason, candidates: [] };
  const tz = plan.search.territory.timeZone;
  const candidates = searchIndex(ctx, plan.search).map((c) => candidateView(c, tz));
  const searched = searchedView(plan.search);
  if (candidates.length > 0) return { outcome: 'candidates', candidates, searched };
  return {
    outcome: 'no-slot',
    reason: `no free slot of ${plan.search.professions.join(', ')} in territory ${plan.search.territory.id} within ${decision.maxDelayMinutes} minutes`,
    candidates,
    searched,
  };
}
