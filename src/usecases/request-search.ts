// The search a booking orientation asks for: the triage decides who may see
// the patient, how and how soon; the caller may only narrow that.
//
// Professions: the triage lists them in order of preference, and every one of
// them is fit for the complaint within its delay. We offer the earliest slots
// across all of them (ties by distance), not the first profession first: the
// delay is the clinical constraint, and a physio free in 2 h serves a back
// pain better than a GP free in 20 h. A caller who wants one profession only
// says so with `professions`.
import { MAX_HORIZON_HOURS, type Modality, type Profession } from '../core/domain.js';
import type { TriageDecision } from '../core/triage/index.js';
import type { AuthenticatedClient } from './client.js';
import type { UseCaseContext } from './context.js';
import { resolveSearch, type ResolvedSearch } from './match.js';

const MINUTE = 60_000;

export type SearchOptions = Parameters<typeof resolveSearch>[2];

export type SearchPlan =
  | { kind: 'search'; search: ResolvedSearch }
  | { kind: 'none'; outcome: 'no-eligible-profession' | 'no-eligible-modality'; reason: string };

/**
 * Professions and modalities: the triage's, intersected with the caller's.
 * Skills: the triage's plus the caller's. Horizon: the triage's delay from
 * now (at most 48 h), shortened further by the caller's `horizonHours`.
 */
export function searchForDecision(ctx: UseCaseContext, client: AuthenticatedClient, decision: TriageDecision, options: SearchOptions): SearchPlan {
  const wanted = options.professions;
  const professions: Profession[] = wanted === undefined ? [...decision.professions] : decision.professions.filter((p) => wanted.includes(p));
  if (professions.length === 0) {
    return { kind: 'none', outcome: 'no-eligible-profession', reason: `the triage allows ${decision.professions.join(', ')}; none of the requested professions is among them` };
  }
  const allowed = options.modalities;
  const modalities: Modality[] = allowed === undefined ? [...decision.modalities] : decision.modalities.filter((m) => allowed.includes(m));
  if (modalities.length === 0) {
    return { kind: 'none', outcome: 'no-eligible-modality', reason: `the triage allows ${decision.modalities.join(', ')}; none of the requested modalities is among them` };
  }
  const skills = [...new Set([...decision.skills, ...(options.skills ?? [])])];
  const delayMinutes = Math.min(decision.maxDelayMinutes ?? 0, MAX_HORIZON_HOURS * 60);
  const now = ctx.now();
  const search = resolveSearch(ctx, client, {
    ...options, professions, modalities, skills, horizonHours: Math.min(options.horizonHours ?? MAX_HORIZON_HOURS, delayMinutes / 60),
  });
  // The delay runs from now, even when the caller searches from later.
  const until = Math.max(search.from, Math.min(search.until, now + delayMinutes * MINUTE));
  return { kind: 'search', search: { ...search, until } };
}
