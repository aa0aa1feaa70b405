import t from 'tap';
import { DEFAULT_RULE_SET, parseRuleSet, type ValidationError } from '../src/core/triage/index.js';

// Each kind of invalid rule set is rejected with the JSON path of the fault.

const CATCH_ALL = {
  id: 'catch-all',
  when: {},
  then: { orientation: 'book', maxDelayMinutes: 2880, professions: ['gp'], reason: 'default' },
};
const BOOK = { orientation: 'book', maxDelayMinutes: 60, professions: ['gp'], reason: 'r' };
const CALL_15 = { orientation: 'call-15', reason: 'r' };

/** A document whose only faults are in `rules` (the catch-all is appended). */
const withRules = (...rules: unknown[]) => ({ rules: [...rules, CATCH_ALL] });
const rule = (id: string, when: object, then: object = BOOK) => ({ id, when, then });

function errorsOf(doc: unknown): ValidationError[] {
  const result = parseRuleSet(doc);
  return result.ok ? [] : result.errors;
}

interface Rejection {
  name: string;
  doc: unknown;
  path: string;
  message: RegExp;
}

const REJECTIONS: Rejection[] = [
  // not a document at all
  { name: 'null', doc: null, path: '$', message: /expected object/ },
  { name: 'a number', doc: 42, path: '$', message: /expected object/ },
  { name: 'an array', doc: [], path: '$', message: /expected object/ },
  { name: 'no rules field', doc: {}, path: '$.rules', message: /missing required field "rules"/ },
  { name: 'empty rules', doc: { rules: [] }, path: '$.rules', message: /at least one rule/ },

  // unknown fields (strict objects)
  { name: 'unknown top-level field', doc: { ...withRules(), rulez: [] }, path: '$.rulez', message: /unknown field "rulez"/ },
  { name: 'unknown rule field', doc: withRules({ ...rule('a', { complaints: ['cough'] }), priority: 1 }), path: '$.rules[0].priority', message: /unknown field/ },
  { name: 'unknown condition field (misspelt)', doc: withRules(rule('a', { agemin: 3 })), path: '$.rules[0].when.agemin', message: /unknown field "agemin"/ },
  { name: 'unknown outcome field', doc: withRules(rule('a', { complaints: ['cough'] }, { ...BOOK, urgency: 'high' })), path: '$.rules[0].then.urgency', message: /unknown field/ },
  { name: 'field of another orientation', doc: withRules(rule('a', { complaints: ['cough'] }, { ...CALL_15, maxDelayMinutes: 10 })), path: '$.rules[0].then.maxDelayMinutes', message: /does not apply to orientation "call-15"/ },
  { name: 'unknown vocabulary field', doc: { ...withRules(), vocabulary: { symptoms: ['x'] } }, path: '$.vocabulary.symptoms', message: /unknown field/ },

  // unknown codes
  { name: 'unknown complaint', doc: withRules(rule('a', { complaints: ['cough', 'toothache'] })), path: '$.rules[0].when.complaints[1]', message: /unknown complaint code "toothache"/ },
  { name: 'unknown flag in anyFlags', doc: withRules(rule('a', { anyFlags: ['fever-over-39'] })), path: '$.rules[0].when.anyFlags[0]', message: /unknown red-flag code "fever-over-39"/ },
  { name: 'unknown flag in allFlags', doc: withRules(rule('a', { allFlags: ['chills', 'nope'] })), path: '$.rules[0].when.allFlags[1]', message: /unknown red-flag code/ },
  { name: 'unknown flag in noneFlags', doc: withRules(rule('a', { noneFlags: ['nope'] })), path: '$.rules[0].when.noneFlags[0]', message: /unknown red-flag code/ },
  { name: 'badly formed code', doc: withRules(rule('a', { complaints: ['Sore Throat'] })), path: '$.rules[0].when.complaints[0]', message: /kebab-case/ },
  { name: 'unknown profession', doc: withRules(rule('a', { complaints: ['cough'] }, { ...BOOK, professions: ['gp', 'surgeon'] })), path: '$.rules[0].then.professions[1]', message: /unknown profession "surgeon"/ },
  { name: 'unknown modality', doc: withRules(rule('a', { complaints: ['cough'] }, { ...BOOK, modalities: ['phone'] })), path: '$.rules[0].then.modalities[0]', message: /unknown modality "phone"/ },
  { name: 'unknown orientation', doc: withRules(rule('a', { complaints: ['cough'] }, { orientation: 'emergency', reason: 'r' })), path: '$.rules[0].then.orientation', message: /orientation must be one of/ },
  { name: 'unknown sex', doc: withRules(rule('a', { sex: 'f' })), path: '$.rules[0].when.sex', message: /unknown sex "f"/ },
  { name: 'declared code that is already a SPEC code', doc: { vocabulary: { complaints: ['fever'] }, ...withRules() }, path: '$.vocabulary.complaints[0]', message: /already a SPEC complaint code/ },
  { name: 'declared code twice', doc: { vocabulary: { redFlags: ['syncope', 'syncope'] }, ...withRules() }, path: '$.vocabulary.redFlags[1]', message: /declared twice/ },

  // impossible age ranges
  { name: 'ageMin greater than ageMax', doc: withRules(rule('a', { ageMin: 70, ageMax: 16 })), path: '$.rules[0].when.ageMin', message: /impossible age range: ageMin 70 is greater than ageMax 16/ },
  { name: 'negative age', doc: withRules(rule('a', { ageMin: -1 })), path: '$.rules[0].when.ageMin', message: /cannot be negative/ },
  { name: 'age over 130', doc: withRules(rule('a', { ageMax: 131 })), path: '$.rules[0].when.ageMax', message: /cannot exceed 130/ },
  { name: 'fractional age', doc: withRules(rule('a', { ageMin: 15.5 })), path: '$.rules[0].when.ageMin', message: /whole number/ },

  // contradictory rules
  { name: 'flag both required and excluded', doc: withRules(rule('a', { allFlags: ['chills', 'vomiting'], noneFlags: ['vomiting'] })), path: '$.rules[0].when.noneFlags[0]', message: /both required \(allFlags\) and excluded \(noneFlags\)/ },
  { name: 'anyFlags excluded by noneFlags', doc: withRules(rule('a', { anyFlags: ['chills'], noneFlags: ['chills'] })), path: '$.rules[0].when.anyFlags[0]', message: /excluded by noneFlags/ },
  { name: 'anyFlags made redundant by allFlags', doc: withRules(rule('a', { anyFlags: ['chills', 'vomiting'], allFlags: ['chills'] })), path: '$.rules[0].when.anyFlags[0]', message: /already required by allFlags/ },
  { name: 'male and pregnant', doc: withRules(rule('a', { sex: 'male', pregnant: true })), path: '$.rules[0].when.pregnant', message: /male patients cannot require pregnancy/ },
  { name: 'same code twice in a condition', doc: withRules(rule('a', { complaints: ['cough', 'cough'] })), path: '$.rules[0].when.complaints[1]', message: /listed twice/ },
  { name: 'empty condition list', doc: withRules(rule('a', { complaints: [] })), path: '$.rules[0].when.complaints', message: /omit the field/ },

  // unreachable rules
  {
    name: 'rule after a catch-all',
    doc: { rules: [rule('a', { complaints: ['cough'] }), CATCH_ALL, rule('late', { complaints: ['fever'] }), { ...CATCH_ALL, id: 'end' }] },
    path: '$.rules[2]',
    message: /"late" can never fire: it comes after the catch-all rule "catch-all" \(\$\.rules\[1\]\)/,
  },
  {
    name: 'rule whose conditions are a subset of an earlier rule',
    doc: withRules(rule('throat', { complaints: ['sore-throat'] }), rule('throat-adult', { complaints: ['sore-throat'], ageMin: 10 })),
    path: '$.rules[1]',
    message: /"throat-adult" can never fire: every input it matches is matched first by rule "throat" \(\$\.rules\[0\]\)/,
  },
  {
    name: 'allFlags rule shadowed by an anyFlags rule',
    doc: withRules(rule('any', { anyFlags: ['chills', 'vomiting'] }), rule('chills', { allFlags: ['chills'], ageMin: 3 })),
    path: '$.rules[1]',
    message: /matched first by rule "any"/,
  },
  {
    name: 'wider noneFlags is a subset',
    doc: withRules(rule('no-chills', { noneFlags: ['chills'] }), rule('no-chills-no-vomiting', { noneFlags: ['chills', 'vomiting'] })),
    path: '$.rules[1]',
    message: /matched first by rule "no-chills"/,
  },
  {
    name: 'male rule after "not pregnant" (a male is never pregnant)',
    doc: withRules(rule('not-pregnant', { complaints: ['cough'], pregnant: false }), rule('male', { complaints: ['cough'], sex: 'male' })),
    path: '$.rules[1]',
    message: /matched first by rule "not-pregnant"/,
  },
  {
    name: 'rule covered only by several earlier rules together',
    doc: withRules(
      rule('young', { complaints: ['urinary-burning'], ageMax: 15 }),
      rule('old', { complaints: ['urinary-burning'], ageMin: 16 }),
      rule('any-age', { complaints: ['urinary-burning'], sex: 'female' }),
    ),
    path: '$.rules[2]',
    message: /"any-age" can never fire: .*earlier rules "young" \(\$\.rules\[0\]\), "old" \(\$\.rules\[1\]\) together/,
  },

  // missing final catch-all
  { name: 'no final catch-all', doc: { rules: [rule('a', { complaints: ['cough'] })] }, path: '$.rules[0].when', message: /last rule must be a catch-all.*tests complaints/ },

  // outcomes
  { name: 'book with no professions', doc: withRules(rule('a', { complaints: ['cough'] }, { ...BOOK, professions: [] })), path: '$.rules[0].then.professions', message: /needs at least one profession/ },
  { name: 'book without a professions field', doc: withRules(rule('a', { complaints: ['cough'] }, { orientation: 'book', maxDelayMinutes: 60, reason: 'r' })), path: '$.rules[0].then.professions', message: /missing required field "professions"/ },
  { name: 'book delay over 48 h', doc: withRules(rule('a', { complaints: ['cough'] }, { ...BOOK, maxDelayMinutes: 2881 })), path: '$.rules[0].then.maxDelayMinutes', message: /cannot exceed 2880/ },
  { name: 'book delay of 0', doc: withRules(rule('a', { complaints: ['cough'] }, { ...BOOK, maxDelayMinutes: 0 })), path: '$.rules[0].then.maxDelayMinutes', message: /at least 1 minute/ },
  { name: 'book with an empty modality list', doc: withRules(rule('a', { complaints: ['cough'] }, { ...BOOK, modalities: [] })), path: '$.rules[0].then.modalities', message: /could never be matched/ },
  { name: 'profession listed twice', doc: withRules(rule('a', { complaints: ['cough'] }, { ...BOOK, professions: ['gp', 'nurse', 'gp'] })), path: '$.rules[0].then.professions[2]', message: /listed twice/ },
  { name: 'pharmacy protocol with no professions', doc: withRules(rule('a', { complaints: ['cough'] }, { orientation: 'pharmacy-protocol', professions: [], reason: 'r' })), path: '$.rules[0].then.professions', message: /professions that run the protocol/ },
  { name: 'missing reason', doc: withRules(rule('a', { complaints: ['cough'] }, { orientation: 'call-15' })), path: '$.rules[0].then.reason', message: /missing required field "reason"/ },
  { name: 'blank reason', doc: withRules(rule('a', { complaints: ['cough'] }, { orientation: 'call-15', reason: '   ' })), path: '$.rules[0].then.reason', message: /cannot be empty/ },

  // ids
  { name: 'duplicate rule id', doc: withRules(rule('dup', { complaints: ['cough'] }), rule('dup', { complaints: ['fever'] })), path: '$.rules[1].id', message: /duplicate rule id "dup" \(already used by \$\.rules\[0\]\)/ },
  { name: 'badly formed rule id', doc: withRules(rule('Has Spaces', { complaints: ['cough'] })), path: '$.rules[0].id', message: /lower-case/ },
];

for (const r of REJECTIONS) {
  t.test(`rejects: ${r.name}`, async (t) => {
    const errors = errorsOf(r.doc);
    t.ok(errors.length > 0, 'rejected');
    const atPath = errors.filter((e) => e.path === r.path);
    t.ok(atPath.length > 0, `an error at ${r.path}; got ${JSON.stringify(errors)}`);
    t.ok(atPath.some((e) => r.message.test(e.message)), `message matches ${r.message}; got ${JSON.stringify(atPath)}`);
  });
}

t.test('reports several independent errors at once', async (t) => {
  const errors = errorsOf(
    withRules(rule('a', { complaints: ['nope'], ageMin: 9, ageMax: 3 }, { ...BOOK, professions: ['gp', 'surgeon'] })),
  );
  t.same(new Set(errors.map((e) => e.path)), new Set(['$.rules[0].then.professions[1]']), 'shape errors come first, alone');
  const semantic = errorsOf(withRules(rule('a', { complaints: ['nope'], ageMin: 9, ageMax: 3 })));
  t.same(
    new Set(semantic.map((e) => e.path)),
    new Set(['$.rules[0].when.complaints[0]', '$.rules[0].when.ageMin']),
    'every semantic error is reported',
  );
});

t.test('a reachability error is not reported on top of a local one', async (t) => {
  const errors = errorsOf(withRules(rule('x', { complaints: ['cough'] }), rule('y', { complaints: ['cough'], allFlags: ['nope'] })));
  t.same(errors.map((e) => e.path), ['$.rules[1].when.allFlags[0]']);
});

t.test('never throws on hostile input', async (t) => {
  const throwing = { get rules(): never { throw new Error('boom'); } };
  const cyclic: Record<string, unknown> = { rules: [] };
  (cyclic.rules as unknown[]).push(cyclic);
  for (const doc of [throwing, cyclic, undefined, 'rules', Symbol('x'), () => 1, new Map(), { rules: 'x' }]) {
    const result = parseRuleSet(doc);
    t.equal(result.ok, false);
    if (!result.ok) t.ok(result.errors.every((e) => e.path.startsWith('$')), JSON.stringify(result.errors));
  }
});

t.test('accepts', async (t) => {
  t.test('the default set, as JSON', async (t) => {
    const result = parseRuleSet(JSON.parse(JSON.stringify(DEFAULT_RULE_SET)));
    t.ok(result.ok, JSON.stringify(result.ok ? [] : result.errors));
    if (result.ok) t.same(result.ruleSet, DEFAULT_RULE_SET);
  });
  t.test('codes the set declares, and only those', async (t) => {
    const doc = {
      vocabulary: { complaints: ['tooth-pain'], redFlags: ['facial-swelling'] },
      rules: [
        rule('tooth-swelling', { complaints: ['tooth-pain'], allFlags: ['facial-swelling'] }, { ...BOOK, professions: ['dentist'] }),
        rule('tooth', { complaints: ['tooth-pain'] }, { ...BOOK, professions: ['dentist'] }),
        CATCH_ALL,
      ],
    };
    t.ok(parseRuleSet(doc).ok);
    const undeclared = { ...doc, vocabulary: { complaints: ['tooth-pain'] } };
    t.same(errorsOf(undeclared).map((e) => e.path), ['$.rules[0].when.allFlags[0]']);
  });
  t.test('a rule that overlaps an earlier one without being covered', async (t) => {
    const doc = withRules(
      rule('no-chills', { noneFlags: ['chills', 'vomiting'] }),
      rule('no-chills-only', { noneFlags: ['chills'] }),
      rule('young', { complaints: ['urinary-burning'], ageMax: 15 }),
      rule('old', { complaints: ['urinary-burning'], ageMin: 17 }),
      rule('any-age', { complaints: ['urinary-burning'] }), // age 16 is left for it
    );
    t.ok(parseRuleSet(doc).ok, JSON.stringify(errorsOf(doc)));
  });
  t.test('the parsed set is frozen', async (t) => {
    const result = parseRuleSet(withRules());
    t.ok(result.ok && Object.isFrozen(result.ruleSet) && Object.isFrozen(result.ruleSet.rules[0]?.then));
  });
});
