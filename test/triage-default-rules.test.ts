import t from 'tap';
import type { Modality, Orientation, Profession, Sex } from '../src/core/domain.js';
import {
  DEFAULT_RULE_SET,
  DEFAULT_RULE_SET_VERSION,
  compileRuleSet,
  evaluateReference,
  triage,
  type TriageInput,
} from '../src/core/triage/index.js';

// Table-driven check of the national default set: every rule is hit at least
// once, and the protocol boundaries (ages 15/16/65/66, 9/10, each exclusion
// flag, pregnancy, unknown sex) are each pinned by a case.

interface Case {
  name: string;
  input: TriageInput;
  rule: string;
  orientation: Orientation;
  maxDelayMinutes?: number | null;
  professions?: Profession[];
  skills?: string[];
  modalities?: Modality[];
}

function patient(age: number, sex: Sex, complaint: string, redFlags: string[] = [], pregnant?: boolean): TriageInput {
  return { patient: pregnant === undefined ? { age, sex } : { age, sex, pregnant }, complaint, redFlags };
}

const LIFE_THREATENING = [
  'chest-pain', 'dyspnea', 'altered-consciousness', 'neurological-deficit', 'severe-bleeding', 'suicidal-ideation',
];

const CASES: Case[] = [
  // vital emergencies
  ...LIFE_THREATENING.map((flag): Case => ({
    name: `life-threatening flag ${flag} → 15`,
    input: patient(40, 'male', 'other', [flag]),
    rule: 'call15-life-threatening-flag',
    orientation: 'call-15',
    maxDelayMinutes: 0,
    professions: [],
  })),
  { name: 'dyspnea beats the cystitis protocol', input: patient(30, 'female', 'urinary-burning', ['dyspnea']), rule: 'call15-life-threatening-flag', orientation: 'call-15' },
  { name: 'dyspnea with a sore throat → 15', input: patient(20, 'female', 'sore-throat', ['dyspnea']), rule: 'call15-life-threatening-flag', orientation: 'call-15' },
  { name: 'neurological deficit with a headache → 15', input: patient(50, 'female', 'headache', ['neurological-deficit']), rule: 'call15-life-threatening-flag', orientation: 'call-15' },
  { name: 'severe bleeding wound → 15', input: patient(30, 'male', 'wound', ['severe-bleeding']), rule: 'call15-life-threatening-flag', orientation: 'call-15' },
  { name: 'chest pain as the complaint → 15', input: patient(55, 'male', 'chest-pain'), rule: 'call15-chest-pain-or-dyspnea', orientation: 'call-15', maxDelayMinutes: 0 },
  { name: 'dyspnea as the complaint → 15', input: patient(8, 'female', 'dyspnea'), rule: 'call15-chest-pain-or-dyspnea', orientation: 'call-15' },

  // cystitis: the protocol and its age boundaries
  { name: 'cystitis woman 16 → pharmacy', input: patient(16, 'female', 'urinary-burning'), rule: 'cystitis-pharmacy-protocol', orientation: 'pharmacy-protocol', maxDelayMinutes: null, professions: ['pharmacist'], modalities: ['office'] },
  { name: 'cystitis woman 15 → GP (under 16)', input: patient(15, 'female', 'urinary-burning'), rule: 'cystitis-under-16', orientation: 'book', maxDelayMinutes: 1440, professions: ['gp', 'paediatrician'] },
  { name: 'cystitis woman 65 → pharmacy', input: patient(65, 'female', 'urinary-burning'), rule: 'cystitis-pharmacy-protocol', orientation: 'pharmacy-protocol' },
  { name: 'cystitis woman 66 → GP (over 65)', input: patient(66, 'female', 'urinary-burning'), rule: 'cystitis-over-65', orientation: 'book', maxDelayMinutes: 1440, professions: ['gp'] },
  { name: 'cystitis woman 65 and 11 months → still 65 → pharmacy', input: patient(65.9, 'female', 'urinary-burning'), rule: 'cystitis-pharmacy-protocol', orientation: 'pharmacy-protocol' },
  { name: 'cystitis girl 15 and 11 months → still 15 → GP', input: patient(15.95, 'female', 'urinary-burning'), rule: 'cystitis-under-16', orientation: 'book' },
  { name: 'cystitis woman, pregnant: false stated → pharmacy', input: patient(30, 'female', 'urinary-burning', [], false), rule: 'cystitis-pharmacy-protocol', orientation: 'pharmacy-protocol' },
  { name: 'cystitis with an unrelated flag (drooling) → pharmacy', input: patient(30, 'female', 'urinary-burning', ['drooling']), rule: 'cystitis-pharmacy-protocol', orientation: 'pharmacy-protocol' },
  // its urgent exclusions
  ...['fever-over-38', 'chills', 'lumbar-pain', 'vomiting'].map((flag): Case => ({
    name: `cystitis with ${flag} → GP the same day`,
    input: patient(30, 'female', 'urinary-burning', [flag]),
    rule: 'cystitis-pyelonephritis-signs',
    orientation: 'book',
    maxDelayMinutes: 720,
    professions: ['gp'],
    modalities: ['office', 'home'],
  })),
  { name: 'male with lumbar pain → GP the same day', input: patient(40, 'male', 'urinary-burning', ['lumbar-pain']), rule: 'cystitis-pyelonephritis-signs', orientation: 'book', maxDelayMinutes: 720 },
  { name: 'girl of 12 with fever → GP the same day', input: patient(12, 'female', 'urinary-burning', ['fever-over-38']), rule: 'cystitis-pyelonephritis-signs', orientation: 'book', maxDelayMinutes: 720 },
  { name: 'pregnant with fever → 15 (pyelonephritis in pregnancy)', input: patient(28, 'female', 'urinary-burning', ['fever-over-38'], true), rule: 'cystitis-pregnant-pyelonephritis-signs', orientation: 'call-15', maxDelayMinutes: 0 },
  // its other exclusions
  { name: 'cystitis pregnant → GP or midwife within 24 h', input: patient(30, 'female', 'urinary-burning', [], true), rule: 'cystitis-pregnant', orientation: 'book', maxDelayMinutes: 1440, professions: ['gp', 'midwife'] },
  { name: 'cystitis recurrent → GP within 24 h', input: patient(30, 'female', 'urinary-burning', ['recurrent-uti']), rule: 'cystitis-recurrent-or-immunosuppressed', orientation: 'book', maxDelayMinutes: 1440, professions: ['gp'] },
  { name: 'cystitis immunosuppressed → GP within 24 h', input: patient(30, 'female', 'urinary-burning', ['immunosuppression']), rule: 'cystitis-recurrent-or-immunosuppressed', orientation: 'book', maxDelayMinutes: 1440 },
  { name: 'cystitis male → GP within 24 h', input: patient(30, 'male', 'urinary-burning'), rule: 'cystitis-male', orientation: 'book', maxDelayMinutes: 1440, professions: ['gp'] },
  { name: 'cystitis male of 70 → over-65 rule', input: patient(70, 'male', 'urinary-burning'), rule: 'cystitis-over-65', orientation: 'book' },
  { name: 'cystitis sex unknown → never the protocol', input: patient(30, 'unknown', 'urinary-burning'), rule: 'cystitis-sex-unknown', orientation: 'book', maxDelayMinutes: 1440, professions: ['gp'] },
  { name: 'cystitis sex unknown at 16 → never the protocol', input: patient(16, 'unknown', 'urinary-burning'), rule: 'cystitis-sex-unknown', orientation: 'book' },
  { name: 'cystitis sex unknown, pregnant → pregnancy rule', input: patient(30, 'unknown', 'urinary-burning', [], true), rule: 'cystitis-pregnant', orientation: 'book' },

  // sore throat
  { name: 'sore throat at 10 → pharmacy (TROD)', input: patient(10, 'male', 'sore-throat'), rule: 'sore-throat-pharmacy-protocol', orientation: 'pharmacy-protocol', maxDelayMinutes: null, professions: ['pharmacist'], skills: ['rapid-strep-test'] },
  { name: 'sore throat at 9 → GP', input: patient(9, 'male', 'sore-throat'), rule: 'sore-throat-under-10', orientation: 'book', maxDelayMinutes: 1440, professions: ['gp', 'paediatrician'] },
  { name: 'sore throat at 0 → GP', input: patient(0, 'female', 'sore-throat'), rule: 'sore-throat-under-10', orientation: 'book' },
  { name: 'sore throat with fever at 30 → pharmacy (fever does not exclude)', input: patient(30, 'female', 'sore-throat', ['fever-over-38']), rule: 'sore-throat-pharmacy-protocol', orientation: 'pharmacy-protocol' },
  { name: 'sore throat, sex unknown → pharmacy (not sex-restricted)', input: patient(40, 'unknown', 'sore-throat'), rule: 'sore-throat-pharmacy-protocol', orientation: 'pharmacy-protocol' },
  { name: 'sore throat pregnant → pharmacy', input: patient(25, 'female', 'sore-throat', [], true), rule: 'sore-throat-pharmacy-protocol', orientation: 'pharmacy-protocol' },
  { name: 'sore throat with drooling → 15', input: patient(30, 'male', 'sore-throat', ['drooling']), rule: 'sore-throat-drooling', orientation: 'call-15', maxDelayMinutes: 0 },
  { name: 'child sore throat with drooling → 15', input: patient(5, 'male', 'sore-throat', ['drooling']), rule: 'sore-throat-drooling', orientation: 'call-15' },
  { name: 'drooling and trismus → 15 (drooling first)', input: patient(30, 'male', 'sore-throat', ['trismus', 'drooling']), rule: 'sore-throat-drooling', orientation: 'call-15' },
  { name: 'sore throat with trismus → GP within 4 h', input: patient(30, 'female', 'sore-throat', ['trismus']), rule: 'sore-throat-trismus', orientation: 'book', maxDelayMinutes: 240, professions: ['gp'], modalities: ['office'] },
  { name: 'sore throat immunosuppressed → GP the same day', input: patient(30, 'female', 'sore-throat', ['immunosuppression']), rule: 'sore-throat-immunosuppressed', orientation: 'book', maxDelayMinutes: 720 },

  // fever
  { name: 'fever at 0 → paediatrician within 4 h', input: patient(0, 'female', 'fever'), rule: 'fever-infant-under-1', orientation: 'book', maxDelayMinutes: 240, professions: ['paediatrician', 'gp'] },
  { name: 'fever at 1 → young child rule', input: patient(1, 'male', 'fever'), rule: 'fever-child-under-6', orientation: 'book', maxDelayMinutes: 720, professions: ['paediatrician', 'gp'] },
  { name: 'fever at 5 → young child rule', input: patient(5, 'male', 'fever'), rule: 'fever-child-under-6', orientation: 'book', maxDelayMinutes: 720 },
  { name: 'fever at 6 → ordinary fever', input: patient(6, 'male', 'fever'), rule: 'fever', orientation: 'book', maxDelayMinutes: 1440, professions: ['gp'] },
  { name: 'fever immunosuppressed adult → within 4 h', input: patient(45, 'female', 'fever', ['immunosuppression']), rule: 'fever-immunosuppressed', orientation: 'book', maxDelayMinutes: 240 },
  { name: 'fever immunosuppressed infant → infant rule first', input: patient(0, 'female', 'fever', ['immunosuppression']), rule: 'fever-infant-under-1', orientation: 'book' },

  // headache
  { name: 'headache with fever and vomiting → 15', input: patient(20, 'male', 'headache', ['fever-over-38', 'vomiting']), rule: 'headache-meningeal-signs', orientation: 'call-15' },
  { name: 'headache with fever → GP within 6 h', input: patient(20, 'male', 'headache', ['fever-over-38']), rule: 'headache-fever-or-vomiting', orientation: 'book', maxDelayMinutes: 360 },
  { name: 'headache with vomiting → GP within 6 h', input: patient(20, 'male', 'headache', ['vomiting']), rule: 'headache-fever-or-vomiting', orientation: 'book', maxDelayMinutes: 360 },
  { name: 'plain headache → GP within 24 h, video allowed', input: patient(20, 'male', 'headache'), rule: 'headache', orientation: 'book', maxDelayMinutes: 1440, modalities: ['office', 'home', 'video'] },

  // abdominal pain
  { name: 'abdominal pain in pregnancy → 15', input: patient(30, 'female', 'abdominal-pain', [], true), rule: 'abdominal-pain-pregnant', orientation: 'call-15' },
  { name: 'abdominal pain with fever → within 6 h', input: patient(30, 'female', 'abdominal-pain', ['fever-over-38']), rule: 'abdominal-pain-fever-or-vomiting', orientation: 'book', maxDelayMinutes: 360 },
  { name: 'abdominal pain with vomiting → within 6 h', input: patient(12, 'male', 'abdominal-pain', ['vomiting']), rule: 'abdominal-pain-fever-or-vomiting', orientation: 'book', maxDelayMinutes: 360 },
  { name: 'plain abdominal pain → within 24 h', input: patient(30, 'male', 'abdominal-pain'), rule: 'abdominal-pain', orientation: 'book', maxDelayMinutes: 1440 },

  // trauma and musculoskeletal
  { name: 'wound → GP or nurse with sutures within 6 h', input: patient(30, 'male', 'wound'), rule: 'wound', orientation: 'book', maxDelayMinutes: 360, professions: ['gp', 'nurse'], skills: ['sutures'] },
  { name: 'back pain with fever → same day', input: patient(50, 'male', 'back-pain', ['fever-over-38']), rule: 'back-pain-fever', orientation: 'book', maxDelayMinutes: 720 },
  { name: 'back pain → GP or physio within 24 h', input: patient(50, 'male', 'back-pain'), rule: 'back-pain', orientation: 'book', maxDelayMinutes: 1440, professions: ['gp', 'physio'] },
  { name: 'back pain with lumbar-pain flag only → ordinary back pain', input: patient(50, 'female', 'back-pain', ['lumbar-pain']), rule: 'back-pain', orientation: 'book' },
  { name: 'sprain → GP or physio within 48 h', input: patient(25, 'female', 'sprain'), rule: 'sprain', orientation: 'book', maxDelayMinutes: 2880, professions: ['gp', 'physio'], modalities: ['office'] },

  // ENT, respiratory, skin
  { name: 'ear pain at 15 → child rule', input: patient(15, 'female', 'ear-pain'), rule: 'ear-pain-child', orientation: 'book', professions: ['gp', 'paediatrician'] },
  { name: 'ear pain at 16 → adult rule', input: patient(16, 'female', 'ear-pain'), rule: 'ear-pain', orientation: 'book', professions: ['gp'] },
  { name: 'cough with fever → within 24 h', input: patient(70, 'male', 'cough', ['fever-over-38']), rule: 'cough-fever', orientation: 'book', maxDelayMinutes: 1440 },
  { name: 'cough → within 48 h', input: patient(30, 'male', 'cough'), rule: 'cough', orientation: 'book', maxDelayMinutes: 2880 },
  { name: 'rash with fever → within 6 h', input: patient(3, 'male', 'rash', ['fever-over-38']), rule: 'rash-fever', orientation: 'book', maxDelayMinutes: 360 },
  { name: 'rash → within 48 h, office or video', input: patient(30, 'female', 'rash'), rule: 'rash', orientation: 'book', maxDelayMinutes: 2880, modalities: ['office', 'video'] },

  // everything else
  { name: 'other → catch-all GP within 48 h', input: patient(30, 'female', 'other'), rule: 'catch-all', orientation: 'book', maxDelayMinutes: 2880, professions: ['gp'], modalities: ['office', 'home', 'video'] },
  { name: 'unknown complaint code → treated as other', input: patient(30, 'female', 'toothache'), rule: 'catch-all', orientation: 'book' },
  { name: 'unknown red flag is ignored', input: patient(30, 'female', 'urinary-burning', ['made-up-flag']), rule: 'cystitis-pharmacy-protocol', orientation: 'pharmacy-protocol' },
];

const compiled = compileRuleSet(DEFAULT_RULE_SET, DEFAULT_RULE_SET_VERSION);

t.test('the table is large enough', async (t) => {
  t.ok(CASES.length >= 40, `${CASES.length} cases`);
});

t.test('every rule of the default set is exercised by the table', async (t) => {
  const hit = new Set(CASES.map((c) => c.rule));
  for (const rule of DEFAULT_RULE_SET.rules) t.ok(hit.has(rule.id), `rule ${rule.id} has a case`);
  const known = new Set(DEFAULT_RULE_SET.rules.map((rule) => rule.id));
  for (const id of hit) t.ok(known.has(id), `case rule ${id} exists in the default set`);
});

for (const c of CASES) {
  t.test(c.name, async (t) => {
    const decision = triage(compiled, c.input);
    t.equal(decision.rule.id, c.rule, 'rule');
    t.equal(decision.rule.version, DEFAULT_RULE_SET_VERSION, 'version');
    t.equal(decision.orientation, c.orientation, 'orientation');
    if (c.maxDelayMinutes !== undefined) t.equal(decision.maxDelayMinutes, c.maxDelayMinutes, 'maxDelayMinutes');
    if (c.professions !== undefined) t.same(decision.professions, c.professions, 'professions');
    if (c.skills !== undefined) t.same(decision.skills, c.skills, 'skills');
    if (c.modalities !== undefined) t.same(decision.modalities, c.modalities, 'modalities');
    t.ok(decision.reason.length > 0, 'a reason is given');
    t.same(decision, evaluateReference(DEFAULT_RULE_SET, DEFAULT_RULE_SET_VERSION, c.input), 'the reference agrees');
  });
}
