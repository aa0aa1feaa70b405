// Matching: the earliest compatible free slots of a territory within the SNP
// horizon, answered from the in-memory index.
import { z } from 'zod';
import { MAX_HORIZON_HOURS, MODALITIES, PROFESSIONS, type Modality, type Profession } from '../core/domain.js';
import type { Candidate, ProfessionalInfo, SiteInfo } from '../core/index/index.js';
import { formatApiDateTime } from '../core/time/index.js';
import type { AuthenticatedClient } from './client.js';
import type { TerritoryInfo } from './territories.js';
import { requireRole, requireTerritory } from './scopes.js';
import type { UseCaseContext } from './context.js';
import { ApiProblem, validationProblem } from './problem.js';
import { debugSlowdown } from '../core/debug-slowdown.js';
import { plainText } from '../core/text.js';

const HOUR = 3_600_000;
export const COMMUNE_CODE = /^([0-9]{5}|2[AB][0-9]{3})$/;

export const pointSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

/** Where and what to search; shared by /v1/match and /v1/requests. */
export const matchOptionsShape = {
  commune: z.string().regex(COMMUNE_CODE, 'must be an INSEE commune code (5 characters)').optional(),
  territory: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a territory id').optional(),
  professions: z.array(z.enum(PROFESSIONS)).min(1).max(PROFESSIONS.length).optional(),
  skills: z.array(plainText().min(1).max(64)).max(10).optional(),
  modalities: z.array(z.enum(MODALITIES)).min(1).max(MODALITIES.length).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  horizonHours: z.number().positive().max(MAX_HORIZON_HOURS).optional(),
  limit: z.number().int().min(1).max(50).optional(),
  near: pointSchema.optional(),
  maxDistanceKm: z.number().positive().max(1000).optional(),
};

export const matchRequestSchema = z.strictObject({
  ...matchOptionsShape,
  /** Other professions to offer as alternatives, e.g. a physio when no GP is free. */
  alternativeProfessions: z.array(z.enum(PROFESSIONS)).min(1).max(PROFESSIONS.length).optional(),
}).meta({
  example: { commune: '69259', professions: ['gp'], horizonHours: 48, limit: 5 },
});
export type MatchRequest = z.infer<typeof matchRequestSchema>;

const slotView = z.object({ id: z.string(), start: z.string(), end: z.string(), modality: z.enum(MODALITIES) });
export const candidateSchema = z.object({
  slot: slotView,
  professional: z.object({ rpps: z.string(), name: z.string(), profession: z.enum(PROFESSIONS), skills: z.array(z.string()) }),
  site: z.object({ commune: z.string(), lat: z.number(), lon: z.number() }),
  distanceKm: z.number().optional(),
});
export type CandidateView = z.infer<typeof candidateSchema>;

export const matchResponseSchema = z.object({
  candidates: z.array(candidateSchema),
  alternatives: z.array(candidateSchema).optional(),
  searched: z.object({ territory: z.string(), from: z.string(), until: z.string() }),
});
export type MatchResponse = z.infer<typeof matchResponseSchema>;

export interface ResolvedSearch {
  territory: TerritoryInfo;
  professions: readonly Profession[];
  skills: readonly string[];
  modalities: readonly Modality[];
  from: number;
  until: number;
  near: { lat: number; lon: number } | undefined;
  maxDistanceKm: number | undefined;
  limit: number;
}

type MatchOptions = Partial<{ [K in keyof typeof matchOptionsShape]: z.infer<(typeof matchOptionsShape)[K]> }>;

/** Territory, horizon and defaults of a search, checked against the client's scope. */
export function resolveSearch(ctx: UseCaseContext, client: AuthenticatedClient, input: MatchOptions): ResolvedSearch {
  let territory: TerritoryInfo | undefined;
  let near = input.near;
  if (input.commune !== undefined) {
    const commune = ctx.territories.commune(input.commune);
    if (commune === undefined) {
      throw validationProblem([{ field: 'commune', message: `commune ${input.commune} is not served by any territory of this service` }]);
    }
    if (input.territory !== undefined && input.territory !== commune.territoryId) {
      throw validationProblem([{ field: 'territory', message: `commune ${input.commune} belongs to territory ${commune.territoryId}` }]);
    }
    territory = ctx.territories.territory(commune.territoryId);
    near ??= { lat: commune.lat, lon: commune.lon }; // ties are broken by distance from the patient's commune
  } else if (input.territory !== undefined) {
    territory = ctx.territories.territory(input.territory);
    if (territory === undefined) throw validationProblem([{ field: 'territory', message: `unknown territory ${input.territory}` }]);
  } else {
    throw validationProblem([{ field: 'commune', message: 'give the patient\'s commune or a territory' }]);
  }
  if (territory === undefined) throw new ApiProblem(500, 'internal', 'Internal error');
  requireTerritory(client, territory.id);
  if (input.maxDistanceKm !== undefined && near === undefined) {
    throw validationProblem([{ field: 'near', message: 'maxDistanceKm needs a point (near) or a commune' }]);
  }

  const now = ctx.now();
  // Never in the past, never beyond the territory's horizon (at most 48 h) from now.
  const requestedFrom = input.from === undefined ? now : Date.parse(input.from);
  const from = Math.max(now, requestedFrom);
  const horizonHours = Math.min(input.horizonHours ?? MAX_HORIZON_HOURS, territory.horizonHours);
  const until = Math.min(from + horizonHours * HOUR, now + territory.horizonHours * HOUR);
  return {
    territory,
    professions: input.professions ?? PROFESSIONS,
    skills: input.skills ?? [],
    modalities: input.modalities ?? [],
    from,
    until: Math.max(from, until),
    near,
    maxDistanceKm: input.maxDistanceKm,
    limit: input.limit ?? 5,
  };
}

export function searchIndex(ctx: UseCaseContext, search: ResolvedSearch, professions = search.professions, exclude?: ReadonlySet<string>): Candidate[] {
  if (search.until <= search.from) return [];
  return ctx.index.match({
    territoryId: search.territory.id,
    professions,
    skills: search.skills,
    modalities: search.modalities,
    from: search.from,
    until: search.until,
    ...(search.near !== undefined ? { near: search.near } : {}),
    ...(search.maxDistanceKm !== undefined ? { maxDistanceKm: search.maxDistanceKm } : {}),
    limit: search.limit,
    ...(exclude !== undefined ? { excludeSlotIds: exclude } : {}),
  });
}

type ProfessionalView = CandidateView['professional'];
type SiteView = CandidateView['site'];
const professionalViews = new WeakMap<ProfessionalInfo, ProfessionalView>();
const siteViews = new WeakMap<SiteInfo, SiteView>();

// A professional's and a site's views are made once per object: the index shares
// one immutable object per professional and per site among all their slots (a
// change makes a new object), so the views live as long as those, and every
// answer offering them shares them (never to be mutated: the transports only
// serialise them; src/http/match-json.ts keeps their JSON beside them).
function professionalView(professional: ProfessionalInfo): ProfessionalView {
  let view = professionalViews.get(professional);
  if (view === undefined) {
    view = { rpps: professional.rpps, name: professional.name, profession: professional.profession, skills: [...professional.skills] };
    professionalViews.set(professional, view);
  }
  return view;
}

function siteView(site: SiteInfo): SiteView {
  let view = siteViews.get(site);
  if (view === undefined) siteViews.set(site, view = { commune: site.commune, lat: site.lat, lon: site.lon });
  return view;
}

export function candidateView(candidate: Candidate, timeZone: string): CandidateView {
  const { slot } = candidate;
  const view: CandidateView = {
    slot: { id: slot.id, start: formatApiDateTime(slot.start, timeZone), end: formatApiDateTime(slot.end, timeZone), modality: slot.modality },
    professional: professionalView(slot.professional),
    site: siteView(slot.site),
  };
  // Assigned, not spread: a spread of a conditional object literal costs a copy on every candidate.
  if (candidate.distanceKm !== null) view.distanceKm = Math.round(candidate.distanceKm * 100) / 100;
  return view;
}

export function searchedView(search: ResolvedSearch): MatchResponse['searched'] {
  const tz = search.territory.timeZone;
  return { territory: search.territory.id, from: formatApiDateTime(search.from, tz), until: formatApiDateTime(search.until, tz) };
}

export const MATCH_ROLES = ['regulator', 'pharmacist', 'coordinator'] as const;

export function ensureIndexReady(ctx: UseCaseContext): void {
  if (!ctx.sync.status().loaded) {
    throw new ApiProblem(503, 'not-ready', 'Service not ready', 'the slot index is still loading; retry shortly', {}, { 'retry-after': '1' });
  }
}

export function match(ctx: UseCaseContext, client: AuthenticatedClient, input: MatchRequest): MatchResponse {
  requireRole(client, MATCH_ROLES);
  debugSlowdown('match-api'); // off unless SNP_DEBUG_SLOWDOWN says so (bench guards)
  ensureIndexReady(ctx);
  const search = resolveSearch(ctx, client, input);
  const tz = search.territory.timeZone;
  const candidates = searchIndex(ctx, search).map((c) => candidateView(c, tz));
  const response: MatchResponse = { candidates, searched: searchedView(search) };
  if (input.alternativeProfessions !== undefined) {
    const others = input.alternativeProfessions.filter((p) => !search.professions.includes(p));
    response.alternatives = others.length === 0 ? [] : searchIndex(ctx, search, others).map((c) => candidateView(c, tz));
  }
  return response;
}
