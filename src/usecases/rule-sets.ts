// A territory's triage rule set: read (what is in force, the history),
// validate (dry run), replace, roll back. Writes are coordinator-only,
// append-only (a rollback stores a copy of the old document as a new
// version), audited in the same transaction, and in force on every instance
// within a second (src/db/rule-sets/rule-set-registry.ts). Stored through
// ctx.ruleSetVersions (src/db/stores/rule-sets.ts).
import { requireRole, requireTerritory } from './scopes.js';
import { DEFAULT_RULE_SET, DEFAULT_RULE_SET_VERSION, parseRuleSet, vocabularyOfRuleSet, type RuleSet } from '../core/triage/index.js';
import type { AuthenticatedClient } from './client.js';
import type { Actor } from './actor.js';
import { requireCoordinator } from './admin/scope.js';
import type { UseCaseContext } from './context.js';
import { ApiProblem } from './problem.js';
import { NATIONAL_DEFAULT } from './rule-sets-in-force.js';
import {
  documentErrors, ruleSetView, type RuleSetValidation, type RuleSetVersions, type RuleSetView,
} from './rule-set-views.js';
import { TRIAGE_ROLES } from './triage.js';

/** Everyone who triages may see the rules that decide; only a coordinator changes them. */
export const RULE_SET_READ_ROLES = TRIAGE_ROLES;

function territoryInScope(ctx: UseCaseContext, client: AuthenticatedClient, territoryId: string): void {
  requireTerritory(client, territoryId);
  if (ctx.territories.territory(territoryId) === undefined) {
    throw new ApiProblem(404, 'not-found', 'Not found', `territory ${territoryId} not found`, { errors: [{ field: 'id', message: 'no such territory' }] });
  }
}

export function getRuleSet(ctx: UseCaseContext, client: AuthenticatedClient, territoryId: string): RuleSetView {
  requireRole(client, RULE_SET_READ_ROLES);
  territoryInScope(ctx, client, territoryId);
  const inForce = ctx.ruleSets.inForce(territoryId);
  return ruleSetView(territoryId, inForce.source, inForce.version, inForce.compiled.ruleSet, inForce);
}

export async function listRuleSetVersions(ctx: UseCaseContext, client: AuthenticatedClient, territoryId: string): Promise<RuleSetVersions> {
  requireRole(client, RULE_SET_READ_ROLES);
  territoryInScope(ctx, client, territoryId);
  const stored = await ctx.ruleSetVersions.versions(territoryId);
  const versions: RuleSetVersions['versions'] = stored.map((v) => ({
    version: v.version, source: 'territory', createdAt: v.createdAt.toISOString(), createdBy: v.createdBy, note: v.note, rules: v.rules,
  }));
  if (!stored.some((v) => v.version === DEFAULT_RULE_SET_VERSION)) {
    versions.push({ version: DEFAULT_RULE_SET_VERSION, source: 'national-default', createdAt: null, createdBy: null, note: null, rules: DEFAULT_RULE_SET.rules.length });
  }
  return { territory: territoryId, inForce: ctx.ruleSets.inForce(territoryId).version, versions };
}

/** Dry run: the same checks as a replacement; nothing is stored. */
export function validateRuleSet(ctx: UseCaseContext, client: AuthenticatedClient, territoryId: string, input: { document: unknown }): RuleSetValidation {
  requireCoordinator(client);
  territoryInScope(ctx, client, territoryId);
  const parsed = parseRuleSet(input.document);
  if (!parsed.ok) return { ok: false, errors: documentErrors(parsed.errors) };
  const vocabulary = vocabularyOfRuleSet(parsed.ruleSet);
  return { ok: true, rules: parsed.ruleSet.rules.length, vocabulary: { complaints: [...vocabulary.complaints], redFlags: [...vocabulary.redFlags] } };
}

export async function replaceRuleSet(ctx: UseCaseContext, actor: Actor, territoryId: string, input: { document: unknown; note?: string | undefined }): Promise<RuleSetView> {
  requireCoordinator(actor.client);
  territoryInScope(ctx, actor.client, territoryId);
  const parsed = parseRuleSet(input.document);
  if (!parsed.ok) {
    const errors = documentErrors(parsed.errors);
    throw new ApiProblem(400, 'invalid-rule-set', 'Invalid rule set',
      `${errors.length} error(s); nothing was stored. First: ${errors[0]!.field}: ${errors[0]!.message}`, { errors });
  }
  return store(ctx, actor, territoryId, parsed.ruleSet, input.note ?? null, 'rule-set.replace', {});
}

export async function rollbackRuleSet(ctx: UseCaseContext, actor: Actor, territoryId: string, input: { version: number; note?: string | undefined }): Promise<RuleSetView> {
  requireCoordinator(actor.client);
  territoryInScope(ctx, actor.client, territoryId);
  if (ctx.ruleSets.inForce(territoryId).version === input.version) {
    throw new ApiProblem(409, 'already-in-force', 'Already in force', `version ${input.version} is the version in force`, { errors: [{ field: 'version', message: 'already in force' }] });
  }
  const stored = await ctx.ruleSetVersions.find(territoryId, input.version);
  let document: unknown;
  if (stored !== undefined) document = stored.document;
  else if (input.version === DEFAULT_RULE_SET_VERSION) document = NATIONAL_DEFAULT.compiled.ruleSet;
  else throw new ApiProblem(404, 'not-found', 'Not found', `territory ${territoryId} has no version ${input.version}`, { errors: [{ field: 'version', message: 'no such version' }] });
  // An old document must pass today's checks, or it cannot be put back in force.
  const parsed = parseRuleSet(document);
  if (!parsed.ok) {
    throw new ApiProblem(409, 'rule-set-outdated', 'Version no longer valid', `version ${input.version} does not pass today's checks; fix it and replace the set instead`,
      { errors: [{ field: 'version', message: `${parsed.errors[0]!.path}: ${parsed.errors[0]!.message}` }] });
  }
  return store(ctx, actor, territoryId, parsed.ruleSet, input.note ?? `rollback to version ${input.version}`, 'rule-set.rollback', { restoredVersion: input.version });
}

async function store(ctx: UseCaseContext, actor: Actor, territoryId: string, ruleSet: RuleSet, note: string | null, action: string, details: Record<string, unknown>): Promise<RuleSetView> {
  const saved = await ctx.ruleSetVersions.saveNextVersion(actor, { territoryId, ruleSet, note, action, details });
  // This instance answers with the new set at once; others follow the NOTIFY.
  // A failed reload is retried by the registry's backstop: the write stands.
  await ctx.ruleSets.reload().catch(() => {});
  return ruleSetView(territoryId, 'territory', saved.version, ruleSet, { createdAt: saved.createdAt, createdBy: actor.client.id, note });
}
