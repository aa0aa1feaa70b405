import {
  Budget,
  MatchSpace,
  conditionContains,
  isEmpty,
  regionsIntersect,
  subtractRegion,
  type Condition,
  type Cube,
} from './match-space.js';
import type { RuleSet } from './rule-set-schema.js';
import type { TriageInput } from './types.js';
import { vocabularyOfRuleSet } from './vocabulary.js';

// Which rules of an ordered, first-match-wins set can fire for some valid input?
// (valid: the input space of match-space.ts — a known complaint, one of the 5
// valid (sex, pregnant) pairs, an age 0..130, any set of known red flags.)
//
// For each rule i, in order:
//  1. Shadowed by one rule: the first earlier rule j whose conditions contain
//     rule i's (conditionContains: exact, constant time). This covers "after a
//     catch-all" and "conditions a subset of an earlier rule's"; it always runs.
//  2. Otherwise, covered by several rules together: R = inputs of rule i, minus
//     the inputs of every earlier rule that intersects it (cube subtraction).
//     Rule i can fire iff R is not empty; any point of R is a witness input for
//     which rule i is the first to match (e.g. "age ≤ 15", then "age ≥ 16",
//     then "any age" leaves nothing for the third rule).
// Step 2 can fragment into many cubes (it decides coverage of a union, which is
// hard in general), so it runs under a budget of cube subtractions per rule and
// per set; past it the rule is reported `unknown` and treated as reachable:
// the analysis never rejects a rule that can fire.

export type RuleReachability =
  | { reachable: true; witness: TriageInput }
  | { reachable: false; coveredBy: number[] } // indices of earlier rules; [] when the rule matches no valid input
  | { reachable: 'unknown' };

export interface ReachabilityLimits {
  subtractionsPerRule: number;
  subtractionsPerSet: number;
}

const DEFAULT_LIMITS: ReachabilityLimits = { subtractionsPerRule: 50_000, subtractionsPerSet: 1_000_000 };

export function analyseReachability(ruleSet: RuleSet, limits: ReachabilityLimits = DEFAULT_LIMITS): RuleReachability[] {
  const space = new MatchSpace(vocabularyOfRuleSet(ruleSet));
  const conditions = ruleSet.rules.map((rule) => space.conditionOf(rule.when));
  const regions = conditions.map((condition) => space.regionOf(condition));
  const setBudget = new Budget(limits.subtractionsPerSet);

  return conditions.map((condition, i): RuleReachability => {
    const region = regions[i] ?? [];
    if (isEmpty(condition) || region.length === 0) return { reachable: false, coveredBy: [] };
    const shadow = firstContaining(conditions, i, condition);
    if (shadow !== undefined) return { reachable: false, coveredBy: [shadow] };

    const budget = new Budget(Math.min(limits.subtractionsPerRule, setBudget.remaining));
    const result = coverByUnion(space, regions, i, region, budget);
    setBudget.remaining -= Math.min(limits.subtractionsPerRule, setBudget.remaining) - Math.max(0, budget.remaining);
    return result;
  });
}

function firstContaining(conditions: readonly Condition[], index: number, condition: Condition): number | undefined {
  for (let j = 0; j < index; j++) {
    const earlier = conditions[j];
    if (earlier !== undefined && conditionContains(earlier, condition)) return j;
  }
  return undefined;
}

function coverByUnion(
  space: MatchSpace,
  regions: readonly Cube[][],
  index: number,
  region: Cube[],
  budget: Budget,
): RuleReachability {
  let left: Cube[] | null = region;
  const involved: number[] = [];
  for (let j = 0; j < index && left.length > 0; j++) {
    const earlier = regions[j] ?? [];
    if (!regionsIntersect(left, earlier)) continue;
    involved.push(j);
    left = subtractRegion(left, earlier, budget);
    if (left === null) return { reachable: 'unknown' };
  }
  const first = left[0];
  return first !== undefined ? { reachable: true, witness: space.witness(first) } : { reachable: false, coveredBy: involved };
}
