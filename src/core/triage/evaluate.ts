import { personBit, type CompiledRule, type CompiledRuleSet } from './compile.js';
import type { TriageDecision, TriageInput } from './types.js';

/**
 * The decision of the first matching rule. Allocates nothing: the returned
 * decision is a frozen object shared by every call that hits the same rule
 * (copy it before changing it). Total: a compiled set ends with a catch-all.
 */
export function triage(compiled: CompiledRuleSet, input: TriageInput): TriageDecision {
  const complaintId = compiled.complaintIds.get(input.complaint) ?? compiled.otherComplaintId;
  const candidates = compiled.rulesByComplaint[complaintId] ?? [];

  const flags = compiled.flagScratch;
  flags.fill(0);
  const redFlags = input.redFlags;
  for (let i = 0; i < redFlags.length; i++) {
    const id = compiled.flagIds.get(redFlags[i] as string);
    if (id !== undefined) flags[id >>> 5] = (flags[id >>> 5] as number) | (1 << (id & 31));
  }

  const patient = input.patient;
  const age = Math.floor(patient.age);
  const person = personBit(patient.sex, patient.pregnant === true);
  const words = compiled.flagWords;

  for (let k = 0; k < candidates.length; k++) {
    const rule = candidates[k] as CompiledRule;
    if ((rule.personMask & person) === 0) continue;
    // Written so that a NaN age fails every age bound, as it does in the reference.
    if (rule.hasAge && !(age >= rule.ageMin && age <= rule.ageMax)) continue;
    if (!flagsMatch(rule, flags, words)) continue;
    return rule.decision;
  }
  throw new Error(`rule set version ${compiled.version} has no catch-all rule`); // unreachable after validation
}

function flagsMatch(rule: CompiledRule, flags: Int32Array, words: number): boolean {
  const masks = rule.masks;
  if (rule.hasAll) {
    for (let w = 0; w < words; w++) {
      const all = masks[words + w] as number;
      if (((flags[w] as number) & all) !== all) return false;
    }
  }
  if (rule.hasNone) {
    for (let w = 0; w < words; w++) if (((flags[w] as number) & (masks[2 * words + w] as number)) !== 0) return false;
  }
  if (rule.hasAny) {
    for (let w = 0; w < words; w++) if (((flags[w] as number) & (masks[w] as number)) !== 0) return true;
    return false;
  }
  return true;
}
