// Triage as a use case (SPEC §6 POST /v1/triage): which territory's rule set
// applies, the codes checked against that set, and the decision as the API
// shows it. Transport-neutral: HTTP and the WebSocket counter call the same functions.
import { z } from 'zod';
import { MODALITIES, ORIENTATIONS, PROFESSIONS } from '../core/domain.js';
import { TRIAGE_INPUT_SCHEMA, triage, triageInputErrors, type TriageDecision, type TriageInput } from '../core/triage/index.js';
import { defaultTerritory, requireRole, requireTerritory } from './scopes.js';
import type { AuthenticatedClient } from './client.js';
import type { RuleSetInForce } from './rule-sets-in-force.js';
import type { UseCaseContext } from './context.js';
import { fieldOfJsonPath } from './json-path-field.js';
import { matchOptionsShape } from './match.js';
import { validationProblem } from './problem.js';

export const TRIAGE_ROLES = ['regulator', 'pharmacist', 'coordinator'] as const;

/** What is triaged: patient, complaint and red flags, with their documentation. */
export const triageInputShape = {
  patient: TRIAGE_INPUT_SCHEMA.shape.patient.meta({ description: 'Age in years (0–130), sex (female, male, unknown), pregnant if known. Nothing that identifies the patient.' }),
  complaint: TRIAGE_INPUT_SCHEMA.shape.complaint.meta({ description: 'A complaint code: those of SPEC §6 (urinary-burning, sore-throat, fever, …, other) plus any the territory\'s rule set declares' }),
  redFlags: TRIAGE_INPUT_SCHEMA.shape.redFlags.meta({ description: 'Red-flag codes present (SPEC §6 vocabulary plus the set\'s own); default none' }),
};

export const triageRequestSchema = z.strictObject({
  ...triageInputShape,
  commune: matchOptionsShape.commune.meta({ description: 'The patient\'s commune (INSEE code): its territory\'s rules apply. A commune outside every territory gets the national default rules.' }),
  territory: matchOptionsShape.territory.meta({ description: 'Without a commune: the territory whose rules apply. Without both: the client\'s territory, if it has only one.' }),
}).meta({
  example: { patient: { age: 34, sex: 'female' }, complaint: 'urinary-burning', redFlags: [], commune: '69259' },
});
export type TriageRequest = z.infer<typeof triageRequestSchema>;

export const triageResponseSchema = z.object({
  orientation: z.enum(ORIENTATIONS),
  maxDelayMinutes: z.number().int().nullable().meta({ description: '0 for call-15 (act now), null for pharmacy-protocol (nothing to book), 1–2880 for book' }),
  professions: z.array(z.enum(PROFESSIONS)).meta({ description: 'Eligible professions, in the rule\'s order of preference' }),
  skills: z.array(z.string()).meta({ description: 'Every matched professional must have all of these' }),
  modalities: z.array(z.enum(MODALITIES)).meta({ description: 'Allowed slot modalities' }),
  rule: z.object({ id: z.string(), version: z.number().int() }).meta({ description: 'The rule that fired and the version of the territory\'s rule set (version 1 is the national default)' }),
  reason: z.string(),
  territory: z.string().nullable().meta({ description: 'The territory whose rule set decided; null: the national default, for a commune outside every territory' }),
}).meta({
  example: {
    orientation: 'pharmacy-protocol', maxDelayMinutes: null, professions: ['pharmacist'], skills: [], modalities: ['office'],
    rule: { id: 'cystitis-pharmacy-protocol', version: 1 }, reason: 'Cystite simple présumée (femme de 16 à 65 ans, non enceinte, sans fièvre, frissons, douleur lombaire, vomissements, récidive ni immunodépression) : protocole de coopération en pharmacie (bandelette urinaire, antibiotique si positive).',
    territory: 'venissieux',
  },
});
export type TriageResponse = z.infer<typeof triageResponseSchema>;

export interface Place {
  /** Null: the commune belongs to no territory of this service. */
  territoryId: string | null;
  communeCode: string | null;
}

/**
 * Where a request is, from its commune or territory, within the client's
 * scope (403 otherwise). Undefined when the input names neither.
 */
export function placeOf(ctx: UseCaseContext, client: AuthenticatedClient, input: { commune?: string | undefined; territory?: string | undefined }): Place | undefined {
  if (input.commune !== undefined) {
    const commune = ctx.territories.commune(input.commune);
    const territoryId = commune?.territoryId ?? null;
    if (input.territory !== undefined && input.territory !== territoryId) {
      throw validationProblem([{ field: 'territory', message: territoryId === null ? `commune ${input.commune} is in no territory of this service` : `commune ${input.commune} belongs to territory ${territoryId}` }]);
    }
    if (territoryId !== null) requireTerritory(client, territoryId);
    return { territoryId, communeCode: input.commune };
  }
  if (input.territory !== undefined) {
    requireTerritory(client, input.territory);
    if (ctx.territories.territory(input.territory) === undefined) throw validationProblem([{ field: 'territory', message: `unknown territory ${input.territory}` }]);
    return { territoryId: input.territory, communeCode: null };
  }
  return undefined;
}

/** The decision of the set in force, after checking the codes against that set (400 naming the field). */
export function decide(ruleSet: RuleSetInForce, input: TriageInput): TriageDecision {
  const errors = triageInputErrors(ruleSet.compiled, input);
  if (errors.length > 0) throw validationProblem(errors.map((e) => ({ field: fieldOfJsonPath(e.path), message: e.message })));
  return triage(ruleSet.compiled, input);
}

/** A fresh copy: the engine's decision is frozen and shared. */
export function triageView(decision: TriageDecision, territoryId: string | null): TriageResponse {
  return {
    orientation: decision.orientation,
    maxDelayMinutes: decision.maxDelayMinutes,
    professions: [...decision.professions],
    skills: [...decision.skills],
    modalities: [...decision.modalities],
    rule: { id: decision.rule.id, version: decision.rule.version },
    reason: decision.reason,
    territory: territoryId,
  };
}

export function triageInputOf(input: { patient: TriageInput['patient']; complaint: string; redFlags?: readonly string[] | undefined }): TriageInput {
  return { patient: input.patient, complaint: input.complaint, redFlags: input.redFlags ?? [] };
}

/**
 * POST /v1/triage. The rules of the patient's commune's territory, else of
 * the named territory, else of the client's only territory; a commune outside
 * every territory gets the national default (triage never refuses for where
 * the patient is: a call-15 must be recognised anywhere).
 */
export function triageRequest(ctx: UseCaseContext, client: AuthenticatedClient, input: TriageRequest): TriageResponse {
  requireRole(client, TRIAGE_ROLES);
  const place = placeOf(ctx, client, input);
  let territoryId: string | null;
  if (place !== undefined) {
    territoryId = place.territoryId;
  } else {
    const only = defaultTerritory(client);
    if (only === undefined) throw validationProblem([{ field: 'commune', message: 'this client serves several territories: give the patient\'s commune or a territory' }]);
    territoryId = only;
  }
  const decision = decide(ctx.ruleSets.inForce(territoryId), triageInputOf(input));
  return triageView(decision, territoryId);
}
