import t from 'tap';
import { COMPLAINTS, RED_FLAGS } from '../src/core/domain.js';
import {
  DEFAULT_RULE_SET,
  compileRuleSet,
  evaluateReference,
  parseRuleSet,
  triage,
  validateTriageInput,
  vocabularyOf,
  type RuleSet,
  type TriageInput,
} from '../src/core/triage/index.js';

// The engine's contract beyond the default rules: versions, vocabulary,
// normalisation of odd inputs, immutability, wide flag vocabularies.

const compiled = compileRuleSet(DEFAULT_RULE_SET, 7);
const input = (over: Partial<TriageInput> = {}, patient: Partial<TriageInput['patient']> = {}): TriageInput => ({
  complaint: 'urinary-burning',
  redFlags: [],
  ...over,
  patient: { age: 30, sex: 'female', ...patient },
});

function mustParse(doc: unknown): RuleSet {
  const result = parseRuleSet(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.ruleSet;
}

t.test('the decision names the rule and the version it was compiled as', async (t) => {
  t.same(triage(compiled, input()).rule, { id: 'cystitis-pharmacy-protocol', version: 7 });
  t.same(triage(compileRuleSet(DEFAULT_RULE_SET, 8), input()).rule.version, 8);
});

t.test('compileRuleSet rejects a bad version', async (t) => {
  for (const version of [0, -1, 1.5, Number.NaN]) t.throws(() => compileRuleSet(DEFAULT_RULE_SET, version), RangeError);
});

t.test('compileRuleSet validates a set that did not come from parseRuleSet', async (t) => {
  const noCatchAll = {
    rules: [{ id: 'a', when: { complaints: ['cough'] }, then: { orientation: 'call-15', reason: 'r' } }],
  } as RuleSet;
  t.throws(() => compileRuleSet(noCatchAll, 1), /invalid rule set: \$\.rules\[0\]\.when: the last rule must be a catch-all/);
  const copy = JSON.parse(JSON.stringify(DEFAULT_RULE_SET)) as RuleSet;
  t.equal(triage(compileRuleSet(copy, 1), input()).rule.id, 'cystitis-pharmacy-protocol', 'a valid plain copy compiles');
});

t.test('decisions are shared and frozen, so evaluation allocates nothing', async (t) => {
  const a = triage(compiled, input());
  const b = triage(compiled, input({}, { age: 40 }));
  t.equal(a, b, 'same object for the same rule');
  t.ok(Object.isFrozen(a) && Object.isFrozen(a.professions) && Object.isFrozen(a.rule));
  t.throws(() => (a.professions as string[]).push('gp'));
});

t.test('odd inputs are read the safe way, like the reference does', async (t) => {
  const odd: [string, TriageInput, string][] = [
    ['an unrecognised sex counts as unknown', input({}, { sex: 'F' as 'female' }), 'cystitis-sex-unknown'],
    ['a sex such as "constructor" counts as unknown', input({}, { sex: 'constructor' as 'female' }), 'cystitis-sex-unknown'],
    ['a NaN age fails every age bound (so never the protocol)', input({}, { age: Number.NaN }), 'catch-all'],
    ['an unknown complaint counts as other', input({ complaint: '__proto__' }), 'catch-all'],
    ['unknown flags are ignored', input({ redFlags: ['toString', 'x'] }), 'cystitis-pharmacy-protocol'],
    ['pregnant must be literally true', input({}, { pregnant: 'yes' as unknown as boolean }), 'cystitis-pharmacy-protocol'],
  ];
  for (const [name, value, expected] of odd) {
    const reference = evaluateReference(DEFAULT_RULE_SET, 7, value);
    t.same(triage(compiled, value), reference, `${name}: compiled = reference`);
    t.equal(triage(compiled, value).rule.id, expected, name);
  }
});

t.test('vocabularyOf: SPEC codes plus the codes the set declares', async (t) => {
  const vocabulary = vocabularyOf(compiled);
  t.same([...vocabulary.complaints], [...COMPLAINTS]);
  t.same([...vocabulary.redFlags], [...RED_FLAGS]);
  const extended = compileRuleSet(
    mustParse({
      vocabulary: { complaints: ['tooth-pain'], redFlags: ['facial-swelling'] },
      rules: [{ id: 'all', when: {}, then: { orientation: 'book', maxDelayMinutes: 60, professions: ['gp'], reason: 'r' } }],
    }),
    1,
  );
  const wider = vocabularyOf(extended);
  t.ok(wider.complaints.has('tooth-pain') && wider.complaints.has('sore-throat'));
  t.ok(wider.redFlags.has('facial-swelling') && wider.redFlags.has('drooling'));
  wider.complaints.clear();
  t.ok(vocabularyOf(extended).complaints.has('tooth-pain'), 'callers get copies');
});

t.test('a declared complaint gets its own rules', async (t) => {
  const set = compileRuleSet(
    mustParse({
      vocabulary: { complaints: ['tooth-pain'], redFlags: ['facial-swelling'] },
      rules: [
        { id: 'tooth-swelling', when: { complaints: ['tooth-pain'], allFlags: ['facial-swelling'] }, then: { orientation: 'book', maxDelayMinutes: 240, professions: ['dentist'], reason: 'r' } },
        { id: 'tooth', when: { complaints: ['tooth-pain'] }, then: { orientation: 'book', maxDelayMinutes: 1440, professions: ['dentist'], reason: 'r' } },
        { id: 'all', when: {}, then: { orientation: 'book', maxDelayMinutes: 2880, professions: ['gp'], reason: 'r' } },
      ],
    }),
    3,
  );
  t.equal(triage(set, input({ complaint: 'tooth-pain', redFlags: ['facial-swelling'] })).rule.id, 'tooth-swelling');
  t.equal(triage(set, input({ complaint: 'tooth-pain' })).rule.id, 'tooth');
  t.equal(triage(set, input({ complaint: 'sore-throat', redFlags: ['facial-swelling'] })).rule.id, 'all');
});

t.test('more than 32 red flags: masks span several words', async (t) => {
  const extra = Array.from({ length: 40 }, (_, i) => `extra-${i}`);
  const set = mustParse({
    vocabulary: { redFlags: extra },
    rules: [
      { id: 'last-flag', when: { allFlags: ['extra-39'] }, then: { orientation: 'call-15', reason: 'r' } },
      { id: 'any-high', when: { anyFlags: ['extra-20', 'extra-35'], noneFlags: ['extra-1'] }, then: { orientation: 'call-15', reason: 'r' } },
      { id: 'all', when: {}, then: { orientation: 'book', maxDelayMinutes: 60, professions: ['gp'], reason: 'r' } },
    ],
  });
  const c = compileRuleSet(set, 1);
  const cases: [string[], string][] = [
    [['extra-39'], 'last-flag'],
    [['extra-35'], 'any-high'],
    [['extra-35', 'extra-1'], 'all'],
    [['extra-20', 'extra-38'], 'any-high'],
    [['chills'], 'all'],
  ];
  for (const [redFlags, expected] of cases) {
    const value = input({ complaint: 'other', redFlags });
    t.equal(triage(c, value).rule.id, expected, redFlags.join('+'));
    t.same(triage(c, value), evaluateReference(set, 1, value));
  }
});

t.test('validateTriageInput', async (t) => {
  const ok = validateTriageInput(compiled, { patient: { age: 30, sex: 'female' }, complaint: 'sore-throat' });
  t.ok(ok.ok);
  if (ok.ok) t.same(ok.input.redFlags, [], 'redFlags defaults to []');
  const bad: [unknown, string][] = [
    [{ patient: { age: -1, sex: 'female' }, complaint: 'fever' }, '$.patient.age'],
    [{ patient: { age: 131, sex: 'female' }, complaint: 'fever' }, '$.patient.age'],
    [{ patient: { age: 30, sex: 'x' }, complaint: 'fever' }, '$.patient.sex'],
    [{ patient: { age: 30, sex: 'female', name: 'Dupont' }, complaint: 'fever' }, '$.patient'],
    [{ patient: { age: 30, sex: 'female' }, complaint: 'toothache' }, '$.complaint'],
    [{ patient: { age: 30, sex: 'female' }, complaint: 'fever', redFlags: ['chills', 'nope'] }, '$.redFlags[1]'],
    [{ patient: { age: 30, sex: 'male', pregnant: true }, complaint: 'fever' }, '$.patient.pregnant'],
    [null, '$'],
  ];
  for (const [raw, path] of bad) {
    const result = validateTriageInput(compiled, raw);
    t.equal(result.ok, false, JSON.stringify(raw));
    if (!result.ok) t.ok(result.errors.some((e) => e.path === path), `${path} in ${JSON.stringify(result.errors)}`);
  }
});
