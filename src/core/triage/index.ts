// Public API of the triage engine (framework-free: no HTTP, no database).
//
//   const parsed = parseRuleSet(json);             // shape + meaning; never throws
//   if (!parsed.ok) → 422 with parsed.errors ({path: "$.rules[3].when.ageMin", message})
//   const compiled = compileRuleSet(parsed.ruleSet, version);   // once per version
//   const decision = triage(compiled, input);      // per request, sub-microsecond

export type { TriageDecision, TriageInput, ValidationError } from './types.js';
export {
  MAX_AGE_YEARS,
  MAX_BOOK_DELAY_MINUTES,
  MAX_RULES,
  RULE_SET_SCHEMA,
  type Rule,
  type RuleCondition,
  type RuleOutcome,
  type RuleSet,
} from './rule-set-schema.js';
export { parseRuleSet, type RuleSetParseResult } from './parse-rule-set.js';
export { compileRuleSet, type CompiledRuleSet } from './compile.js';
export { triage } from './evaluate.js';
export { vocabularyOf, vocabularyOfRuleSet, type Vocabulary } from './vocabulary.js';
export {
  TRIAGE_INPUT_SCHEMA,
  TRIAGE_PATIENT_SCHEMA,
  triageInputErrors,
  validateTriageInput,
  type TriageInputResult,
} from './input.js';
export { DEFAULT_RULE_SET, DEFAULT_RULE_SET_VERSION } from './default-rule-set.js';
export { evaluateReference } from './reference-evaluate.js';
export { analyseReachability, type RuleReachability } from './reachability.js';
