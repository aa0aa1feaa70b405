import fc from 'fast-check';
import t from 'tap';
import { COMPLAINTS, ORIENTATIONS, RED_FLAGS, SEXES } from '../src/core/domain.js';
import {
  DEFAULT_RULE_SET,
  MAX_BOOK_DELAY_MINUTES,
  analyseReachability,
  compileRuleSet,
  evaluateReference,
  parseRuleSet,
  triage,
  type RuleSet,
  type TriageDecision,
  type TriageInput,
} from '../src/core/triage/index.js';

// Properties, checked on random inputs and random rule sets:
//  - the default set always decides, within the SNP bounds, and its protocol
//    decisions respect the protocols' criteria;
//  - the compiled evaluator equals the naive reference on the uncompiled rules;
//  - the reachability analysis is exact: checked against brute force over
//    every input of a small universe.

const LIFE_THREATENING = [
  'chest-pain', 'dyspnea', 'altered-consciousness', 'neurological-deficit', 'severe-bleeding', 'suicidal-ideation',
];
const CYSTITIS_EXCLUSIONS = ['fever-over-38', 'chills', 'lumbar-pain', 'vomiting', 'recurrent-uti', 'immunosuppression'];
const SORE_THROAT_EXCLUSIONS = ['dyspnea', 'drooling', 'trismus', 'immunosuppression'];

const inputArb: fc.Arbitrary<TriageInput> = fc.record({
  patient: fc.record(
    {
      age: fc.oneof(fc.integer({ min: 0, max: 130 }), fc.double({ min: 0, max: 130, noNaN: true })),
      sex: fc.constantFrom(...SEXES),
      pregnant: fc.boolean(),
    },
    { requiredKeys: ['age', 'sex'] },
  ),
  complaint: fc.constantFrom(...COMPLAINTS, 'not-a-complaint'),
  redFlags: fc.uniqueArray(fc.constantFrom(...RED_FLAGS, 'not-a-flag'), { maxLength: 4 }),
});

const sameDecision = (a: TriageDecision, b: TriageDecision) => JSON.stringify(a) === JSON.stringify(b);

t.test('default set: always a decision, within bounds, equal to the reference', async (t) => {
  const compiled = compileRuleSet(DEFAULT_RULE_SET, 1);
  fc.assert(
    fc.property(inputArb, (input) => {
      const decision = triage(compiled, input);
      if (!ORIENTATIONS.includes(decision.orientation)) return false;
      if (decision.orientation === 'book') {
        const delay = decision.maxDelayMinutes;
        if (delay === null || delay < 1 || delay > MAX_BOOK_DELAY_MINUTES || decision.professions.length === 0) return false;
      }
      if (decision.orientation === 'call-15' && decision.maxDelayMinutes !== 0) return false;
      if (decision.orientation === 'pharmacy-protocol' && decision.maxDelayMinutes !== null) return false;
      return sameDecision(decision, evaluateReference(DEFAULT_RULE_SET, 1, input));
    }),
    { numRuns: 20_000 },
  );
});

t.test('default set: the protocols are only offered within their criteria', async (t) => {
  const compiled = compileRuleSet(DEFAULT_RULE_SET, 1);
  fc.assert(
    fc.property(inputArb, (input) => {
      const decision = triage(compiled, input);
      const flags = new Set(input.redFlags);
      const age = Math.floor(input.patient.age);
      if (LIFE_THREATENING.some((flag) => flags.has(flag))) return decision.orientation === 'call-15';
      if (decision.orientation !== 'pharmacy-protocol') return true;
      if (input.complaint === 'urinary-burning') {
        return (
          input.patient.sex === 'female' && // unknown sex never gets the women-only protocol
          age >= 16 &&
          age <= 65 &&
          input.patient.pregnant !== true &&
          !CYSTITIS_EXCLUSIONS.some((flag) => flags.has(flag))
        );
      }
      if (input.complaint === 'sore-throat') return age >= 10 && !SORE_THROAT_EXCLUSIONS.some((flag) => flags.has(flag));
      return false; // no other complaint has a pharmacy protocol
    }),
    { numRuns: 20_000 },
  );
});

// ── Random rule sets over a small universe, checked exhaustively ──────────

const POOL_COMPLAINTS = ['urinary-burning', 'sore-throat', 'fever'];
// Two declared flags beyond index 32, so that masks span two words.
const EXTRA_FLAGS = Array.from({ length: 40 }, (_, i) => `extra-${i}`);
const POOL_FLAGS = ['chills', 'vomiting', 'extra-33', 'extra-39'];
const VALID_PERSONS: TriageInput['patient'][] = [
  { age: 0, sex: 'female' },
  { age: 0, sex: 'female', pregnant: true },
  { age: 0, sex: 'male' },
  { age: 0, sex: 'unknown' },
  { age: 0, sex: 'unknown', pregnant: true },
];

const flagsArb = fc.uniqueArray(fc.constantFrom(...POOL_FLAGS), { minLength: 1, maxLength: 3 });
/** Each condition present about one time in three, so that rules overlap often. */
const sometimes = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: arb, weight: 1 });
const whenArb = fc
  .record({
    complaints: sometimes(fc.uniqueArray(fc.constantFrom(...POOL_COMPLAINTS), { minLength: 1, maxLength: 2 })),
    anyFlags: sometimes(flagsArb),
    allFlags: sometimes(flagsArb),
    noneFlags: sometimes(flagsArb),
    ageMin: sometimes(fc.constantFrom(0, 5, 10, 16, 66)),
    ageMax: sometimes(fc.constantFrom(4, 9, 15, 65, 130)),
    sex: sometimes(fc.constantFrom(...SEXES)),
    pregnant: sometimes(fc.boolean()),
  })
  .map((when) => Object.fromEntries(Object.entries(when).filter(([, value]) => value !== undefined)));
const ruleSetArb: fc.Arbitrary<RuleSet> = fc
  .array(fc.tuple(whenArb, fc.constantFrom('call-15', 'book')), { minLength: 1, maxLength: 6 })
  .map((rules) => ({
    vocabulary: { redFlags: EXTRA_FLAGS },
    rules: [
      ...rules.map(([when, orientation], i) => ({
        id: `r${i}`,
        when,
        then:
          orientation === 'call-15'
            ? { orientation: 'call-15' as const, reason: `r${i}` }
            : { orientation: 'book' as const, maxDelayMinutes: 60 * (i + 1), professions: ['gp' as const], reason: `r${i}` },
      })),
      { id: 'all', when: {}, then: { orientation: 'book' as const, maxDelayMinutes: 2880, professions: ['gp' as const], reason: 'all' } },
    ],
  }));

/** The rule followed by a catch-all: a set in which it fires exactly when its `when` matches. */
const aloneSets = new WeakMap<RuleSet['rules'][number], RuleSet>();
function aloneSet(rule: RuleSet['rules'][number]): RuleSet {
  let alone = aloneSets.get(rule);
  if (alone === undefined) aloneSets.set(rule, alone = { rules: [rule, { id: 'zz-else', when: {}, then: { orientation: 'call-15', reason: 'else' } }] });
  return alone;
}

/** Does this rule's `when` match the input, regardless of the rules before it? */
function matchesAlone(rule: RuleSet['rules'][number], input: TriageInput): boolean {
  return evaluateReference(aloneSet(rule), 1, input).rule.id === rule.id;
}

/** Every valid input of the universe (other complaints and flags behave like "other" and "absent"). */
function* universeInputs(): Generator<TriageInput> {
  const flagSets = Array.from({ length: 1 << POOL_FLAGS.length }, (_, mask) => POOL_FLAGS.filter((_, i) => mask & (1 << i)));
  for (const complaint of [...POOL_COMPLAINTS, 'other']) {
    for (const person of VALID_PERSONS) {
      for (let age = 0; age <= 130; age++) {
        for (const redFlags of flagSets) yield { patient: { ...person, age }, complaint, redFlags };
      }
    }
  }
}
// Built once and only read: each of the 150 rule sets walks it up to three times.
const UNIVERSE: readonly TriageInput[] = Object.freeze([...universeInputs()]);

/** JSON of a compiled decision; they are deep-frozen and shared by every input that fires their rule, so once each. */
const decisionJson = new WeakMap<TriageDecision, string>();
const jsonOf = (decision: TriageDecision): string => {
  let json = decisionJson.get(decision);
  if (json === undefined) decisionJson.set(decision, json = JSON.stringify(decision));
  return json;
};

t.test('reachability analysis is exact, and compiled = reference on every input', async (t) => {
  let accepted = 0;
  let rejected = 0;
  fc.assert(
    fc.property(ruleSetArb, (ruleSet) => {
      // The rule the reference fires for each input, kept for the compiled = reference check below.
      const firingRule = UNIVERSE.map((input) => evaluateReference(ruleSet, 1, input).rule.id);
      const firing = new Set<string>(firingRule);

      const analysis = analyseReachability(ruleSet);
      analysis.forEach((result, i) => {
        const id = ruleSet.rules[i]?.id ?? '?';
        if (result.reachable === 'unknown') throw new Error(`analysis gave up on rule ${id}`);
        if (result.reachable !== firing.has(id)) throw new Error(`rule ${id}: analysis says ${result.reachable}`);
        if (result.reachable && evaluateReference(ruleSet, 1, result.witness).rule.id !== id) {
          throw new Error(`rule ${id}: witness ${JSON.stringify(result.witness)} fires another rule`);
        }
        // A single shadowing rule must really contain this one, input by input.
        const shadow = result.reachable === false && result.coveredBy.length === 1 ? ruleSet.rules[result.coveredBy[0] ?? -1] : undefined;
        const self = ruleSet.rules[i];
        if (shadow && self) {
          for (const input of UNIVERSE) {
            if (matchesAlone(self, input) && !matchesAlone(shadow, input)) {
              throw new Error(`rule ${id} is said to be inside ${shadow.id}, but ${JSON.stringify(input)} is not`);
            }
          }
        }
      });

      const parsed = parseRuleSet(ruleSet);
      const allFire = ruleSet.rules.every((rule) => firing.has(rule.id));
      if (!allFire && parsed.ok) throw new Error('a set with a rule that never fires was accepted');
      if (!parsed.ok) {
        rejected++;
        // Reachability errors (path "$.rules[i]") are only reported when no local error
        // was found; then they must name exactly the rules that never fire.
        const rulePaths = parsed.errors.map((e) => /^\$\.rules\[(\d+)\]$/.exec(e.path)?.[1]);
        if (rulePaths.every((index) => index !== undefined)) {
          const named = new Set(rulePaths.map(Number));
          const never = ruleSet.rules.flatMap((rule, i) => (firing.has(rule.id) ? [] : [i]));
          if (named.size !== never.length || never.some((i) => !named.has(i))) {
            throw new Error(`named ${JSON.stringify([...named])}, never firing ${JSON.stringify(never)}`);
          }
        }
        return;
      }
      accepted++;
      const compiled = compileRuleSet(parsed.ruleSet, 1);
      // The reference decision is decisionOf(the rule it fires): its JSON is computed once per rule.
      const referenceJson = new Map<string, string>();
      for (const [i, input] of UNIVERSE.entries()) {
        const ruleId = firingRule[i]!;
        let expected = referenceJson.get(ruleId);
        if (expected === undefined) referenceJson.set(ruleId, expected = JSON.stringify(evaluateReference(ruleSet, 1, input)));
        if (jsonOf(triage(compiled, input)) !== expected) {
          throw new Error(`compiled ≠ reference for ${JSON.stringify(input)}`);
        }
      }
    }),
    { numRuns: 150 },
  );
  t.ok(accepted > 0 && rejected > 0, `both accepted (${accepted}) and rejected (${rejected}) sets were generated`);
});

// ── Hostile documents ─────────────────────────────────────────────────────

t.test('parseRuleSet never throws, whatever the document', async (t) => {
  fc.assert(
    fc.property(fc.anything(), (doc) => {
      const result = parseRuleSet(doc);
      return result.ok || result.errors.every((e) => e.path.startsWith('$') && e.message.length > 0);
    }),
    { numRuns: 2_000 },
  );
});

t.test('a default set with one field replaced: never throws; if accepted, still total', async (t) => {
  const base = JSON.parse(JSON.stringify(DEFAULT_RULE_SET)) as { rules: Record<string, Record<string, unknown>>[] };
  const fieldArb = fc.constantFrom(
    ['when', 'complaints'], ['when', 'anyFlags'], ['when', 'noneFlags'], ['when', 'ageMin'], ['when', 'ageMax'],
    ['when', 'sex'], ['when', 'pregnant'], ['then', 'orientation'], ['then', 'maxDelayMinutes'], ['then', 'professions'],
    ['then', 'modalities'], ['then', 'reason'], ['when', 'bogus'],
  );
  fc.assert(
    fc.property(fc.nat(base.rules.length - 1), fieldArb, fc.jsonValue({ maxDepth: 2 }), inputArb, (index, [part, key], value, input) => {
      const doc = structuredClone(base);
      const target = doc.rules[index]?.[part as string];
      if (target) target[key as string] = value;
      const result = parseRuleSet(doc);
      if (!result.ok) return result.errors.length > 0;
      const decision = triage(compileRuleSet(result.ruleSet, 2), input);
      return sameDecision(decision, evaluateReference(result.ruleSet, 2, input));
    }),
    { numRuns: 1_000 },
  );
});
