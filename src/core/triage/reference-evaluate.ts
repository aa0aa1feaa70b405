import { COMPLAINTS } from '../domain.js';
import { decisionOf } from './decision.js';
import type { RuleCondition, RuleSet } from './rule-set-schema.js';
import type { TriageDecision, TriageInput } from './types.js';

// The semantics of a rule set, written as plainly as possible from the
// uncompiled document: the oracle the compiled evaluator is tested against and
// the baseline of the benchmark. Not for production use (slow on purpose: it
// re-reads the document on every call).

export function evaluateReference(ruleSet: RuleSet, version: number, input: TriageInput): TriageDecision {
  const declared = ruleSet.vocabulary?.complaints ?? [];
  const knownComplaint = (COMPLAINTS as readonly string[]).includes(input.complaint) || declared.includes(input.complaint);
  const complaint = knownComplaint ? input.complaint : 'other';
  const sex = input.patient.sex === 'female' || input.patient.sex === 'male' ? input.patient.sex : 'unknown';
  const pregnant = input.patient.pregnant === true;
  const age = Math.floor(input.patient.age);

  for (const rule of ruleSet.rules) {
    if (matches(rule.when, complaint, sex, pregnant, age, input.redFlags)) return decisionOf(rule, version);
  }
  throw new Error('no rule matched: the rule set has no catch-all');
}

function matches(
  when: RuleCondition,
  complaint: string,
  sex: string,
  pregnant: boolean,
  age: number,
  redFlags: readonly string[],
): boolean {
  if (when.complaints !== undefined && !when.complaints.includes(complaint)) return false;
  if (when.sex !== undefined && when.sex !== sex) return false;
  if (when.pregnant !== undefined && when.pregnant !== pregnant) return false;
  if (when.ageMin !== undefined && !(age >= when.ageMin)) return false;
  if (when.ageMax !== undefined && !(age <= when.ageMax)) return false;
  if (when.allFlags !== undefined && !when.allFlags.every((flag) => redFlags.includes(flag))) return false;
  if (when.noneFlags !== undefined && when.noneFlags.some((flag) => redFlags.includes(flag))) return false;
  if (when.anyFlags !== undefined && !when.anyFlags.some((flag) => redFlags.includes(flag))) return false;
  return true;
}
