// The triage rule set in force per territory, as the use cases read it. Kept
// current on every instance by an adapter (src/db/rule-sets/rule-set-registry.ts).
import { compileRuleSet, DEFAULT_RULE_SET, DEFAULT_RULE_SET_VERSION, type CompiledRuleSet } from '../core/triage/index.js';

export type RuleSetSource = 'national-default' | 'territory';

export interface RuleSetInForce {
  source: RuleSetSource;
  version: number;
  compiled: CompiledRuleSet;
  /** Null for the national default (it is not a database row). */
  createdAt: Date | null;
  createdBy: string | null;
  note: string | null;
}

export const NATIONAL_DEFAULT: RuleSetInForce = Object.freeze({
  source: 'national-default',
  version: DEFAULT_RULE_SET_VERSION,
  compiled: compileRuleSet(DEFAULT_RULE_SET, DEFAULT_RULE_SET_VERSION),
  createdAt: null,
  createdBy: null,
  note: null,
});

export interface RuleSetsInForce {
  /** The set in force for a territory: its own, else the national default. Null: no territory (out of every one). */
  inForce(territoryId: string | null): RuleSetInForce;
  /** Resolves once everything committed before the call is in force here. */
  reload(): Promise<void>;
}
