import { SEXES } from '../domain.js';
import { decisionOf } from './decision.js';
import { isValidatedRuleSet, parseRuleSet } from './parse-rule-set.js';
import type { RuleCondition, RuleSet } from './rule-set-schema.js';
import type { TriageDecision } from './types.js';
import { vocabularyOfRuleSet, type Vocabulary } from './vocabulary.js';

// A rule set turned into what evaluate.ts needs to answer in well under a
// microsecond: codes become small integers, flag lists become bitmasks (32
// flags per word), sex and pregnancy one bit among 6, and the rules are
// pre-filtered per complaint so a request only scans rules that can apply.

/** @internal One rule, ready to test. */
export interface CompiledRule {
  readonly personMask: number;
  readonly hasAge: boolean;
  readonly ageMin: number;
  readonly ageMax: number;
  readonly hasAny: boolean;
  readonly hasAll: boolean;
  readonly hasNone: boolean;
  /** [any words..., all words..., none words...] */
  readonly masks: Int32Array;
  /** Shared and frozen: returned as is, so evaluation allocates nothing. */
  readonly decision: TriageDecision;
}

export interface CompiledRuleSet {
  /** The version this set was compiled as; echoed in every decision. */
  readonly version: number;
  /** The validated, frozen source. */
  readonly ruleSet: RuleSet;
  readonly vocabulary: Vocabulary;
  /** @internal */ readonly complaintIds: ReadonlyMap<string, number>;
  /** @internal */ readonly otherComplaintId: number;
  /** @internal */ readonly flagIds: ReadonlyMap<string, number>;
  /** @internal */ readonly flagWords: number;
  /** @internal reused by every call (evaluation is synchronous, so never shared) */ readonly flagScratch: Int32Array;
  /** @internal */ readonly rulesByComplaint: readonly (readonly CompiledRule[])[];
}

/**
 * One bit per (sex, pregnant): female 0/1, male 2/3, unknown 4/5 (odd = pregnant).
 * Any sex other than female/male counts as unknown: the safe reading.
 */
export function personBit(sex: string, pregnant: boolean): number {
  const sexIndex = sex === 'female' ? 0 : sex === 'male' ? 1 : 2;
  return 1 << (sexIndex * 2 + (pregnant ? 1 : 0));
}

/**
 * Compiles a rule set. A set that did not come from parseRuleSet is validated
 * here and rejected with a TypeError, so a compiled set always ends with a
 * catch-all and every input gets a decision.
 */
export function compileRuleSet(ruleSet: RuleSet, version: number): CompiledRuleSet {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new RangeError(`a rule-set version is a positive integer, got ${String(version)}`);
  }
  let source = ruleSet;
  if (!isValidatedRuleSet(ruleSet)) {
    const parsed = parseRuleSet(ruleSet);
    if (!parsed.ok) {
      const detail = parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      throw new TypeError(`invalid rule set: ${detail}`);
    }
    source = parsed.ruleSet;
  }

  const vocabulary = vocabularyOfRuleSet(source);
  const complaintIds = indexOf(vocabulary.complaints);
  const flagIds = indexOf(vocabulary.redFlags);
  const flagWords = Math.max(1, Math.ceil(vocabulary.redFlags.length / 32));

  const rules = source.rules.map((rule) => ({
    complaints: rule.when.complaints ? new Set(rule.when.complaints) : undefined,
    compiled: compileRule(rule.when, flagIds, flagWords, Object.freeze(deepFreezeDecision(decisionOf(rule, version)))),
  }));
  const rulesByComplaint = vocabulary.complaints.map((complaint) =>
    Object.freeze(rules.filter((r) => r.complaints === undefined || r.complaints.has(complaint)).map((r) => r.compiled)),
  );

  const otherComplaintId = complaintIds.get('other');
  if (otherComplaintId === undefined) throw new Error('the SPEC complaint "other" is missing from the vocabulary');
  return Object.freeze({
    version,
    ruleSet: source,
    vocabulary,
    complaintIds,
    otherComplaintId,
    flagIds,
    flagWords,
    flagScratch: new Int32Array(flagWords),
    rulesByComplaint: Object.freeze(rulesByComplaint),
  });
}

function compileRule(
  when: RuleCondition,
  flagIds: ReadonlyMap<string, number>,
  words: number,
  decision: TriageDecision,
): CompiledRule {
  let personMask = 0;
  for (const sex of SEXES) {
    for (const pregnant of [false, true]) {
      if (when.sex !== undefined && when.sex !== sex) continue;
      if (when.pregnant !== undefined && when.pregnant !== pregnant) continue;
      personMask |= personBit(sex, pregnant);
    }
  }
  const masks = new Int32Array(3 * words);
  const setBits = (codes: readonly string[] | undefined, offset: number) => {
    for (const code of codes ?? []) {
      const id = flagIds.get(code);
      if (id === undefined) continue; // impossible after validation
      const word = offset + (id >>> 5);
      masks[word] = (masks[word] ?? 0) | (1 << (id & 31));
    }
  };
  setBits(when.anyFlags, 0);
  setBits(when.allFlags, words);
  setBits(when.noneFlags, 2 * words);
  const hasAge = when.ageMin !== undefined || when.ageMax !== undefined;
  return {
    personMask,
    hasAge,
    ageMin: when.ageMin ?? -Infinity,
    ageMax: when.ageMax ?? Infinity,
    hasAny: when.anyFlags !== undefined,
    hasAll: when.allFlags !== undefined,
    hasNone: when.noneFlags !== undefined,
    masks,
    decision,
  };
}

function indexOf(codes: readonly string[]): ReadonlyMap<string, number> {
  return new Map(codes.map((code, i) => [code, i]));
}

function deepFreezeDecision(decision: TriageDecision): TriageDecision {
  Object.freeze(decision.professions);
  Object.freeze(decision.skills);
  Object.freeze(decision.modalities);
  Object.freeze(decision.rule);
  return decision;
}
