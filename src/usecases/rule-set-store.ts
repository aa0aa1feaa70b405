// A territory's stored rule set versions, as the rule-set use cases read and
// append them. PostgreSQL implements it (src/db/rule-sets/rule-set-rows.ts,
// src/db/stores/rule-sets.ts); src/service.ts wires it.
import type { RuleSet } from '../core/triage/index.js';
import type { Actor } from './actor.js';

export interface StoredRuleSet {
  territoryId: string;
  version: number;
  document: unknown;
  createdAt: Date;
  createdBy: string | null;
  note: string | null;
}

export interface StoredVersion {
  version: number;
  createdAt: Date;
  createdBy: string | null;
  note: string | null;
  rules: number;
}

export interface NextVersion {
  territoryId: string;
  ruleSet: RuleSet;
  note: string | null;
  /** The audit row's action, and what its details add. */
  action: string;
  details: Record<string, unknown>;
}

export interface RuleSetStore {
  /** A territory's history, newest first, without the documents. */
  versions(territoryId: string): Promise<StoredVersion[]>;
  find(territoryId: string, version: number): Promise<StoredRuleSet | undefined>;
  /** Stores the territory's next version with its audit row, in one transaction. */
  saveNextVersion(actor: Actor, next: NextVersion): Promise<{ version: number; createdAt: Date; previous: number }>;
}
