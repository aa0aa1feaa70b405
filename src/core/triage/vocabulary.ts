import { COMPLAINTS, RED_FLAGS } from '../domain.js';
import type { CompiledRuleSet } from './compile.js';
import type { RuleSet } from './rule-set-schema.js';

/** The codes a rule set understands: the SPEC codes, always, then the ones it declares. */
export interface Vocabulary {
  readonly complaints: readonly string[];
  readonly redFlags: readonly string[];
}

/** SPEC codes first, in SPEC order, then declared codes in declaration order (duplicates dropped). */
export function vocabularyOfRuleSet(ruleSet: RuleSet): Vocabulary {
  return {
    complaints: [...new Set<string>([...COMPLAINTS, ...(ruleSet.vocabulary?.complaints ?? [])])],
    redFlags: [...new Set<string>([...RED_FLAGS, ...(ruleSet.vocabulary?.redFlags ?? [])])],
  };
}

/** The codes a compiled set accepts; fresh sets, so callers may keep or change them. */
export function vocabularyOf(compiled: CompiledRuleSet): { complaints: Set<string>; redFlags: Set<string> } {
  return { complaints: new Set(compiled.vocabulary.complaints), redFlags: new Set(compiled.vocabulary.redFlags) };
}
