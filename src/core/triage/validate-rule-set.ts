import { COMPLAINTS, RED_FLAGS } from '../domain.js';
import { jsonPath } from './json-path.js';
import { analyseReachability } from './reachability.js';
import type { Rule, RuleCondition, RuleSet } from './rule-set-schema.js';
import type { ValidationError } from './types.js';
import { vocabularyOfRuleSet } from './vocabulary.js';

// Semantic checks on a document that already has the right shape (zod).
// Cheap local checks first; the reachability analysis only runs on a set that
// passes them, so that its findings are not noise caused by a typo.

type Path = (string | number)[];

export function validateRuleSet(ruleSet: RuleSet): ValidationError[] {
  const errors: ValidationError[] = [];
  const report = (path: Path, message: string) => errors.push({ path: jsonPath(path), message });

  checkDeclaredVocabulary(ruleSet, report);
  const vocabulary = vocabularyOfRuleSet(ruleSet);
  const complaints = new Set(vocabulary.complaints);
  const redFlags = new Set(vocabulary.redFlags);

  const firstIndexOfId = new Map<string, number>();
  ruleSet.rules.forEach((rule, i) => {
    const at = (...rest: Path): Path => ['rules', i, ...rest];
    const earlier = firstIndexOfId.get(rule.id);
    if (earlier === undefined) firstIndexOfId.set(rule.id, i);
    else report(at('id'), `duplicate rule id "${rule.id}" (already used by ${jsonPath(['rules', earlier])})`);

    checkCondition(rule.when, complaints, redFlags, (rest, message) => report(at('when', ...rest), message));
    checkOutcome(rule, (rest, message) => report(at('then', ...rest), message));
  });

  const last = ruleSet.rules.length - 1;
  const lastRule = ruleSet.rules[last];
  if (lastRule !== undefined && conditionFields(lastRule.when).length > 0) {
    report(
      ['rules', last, 'when'],
      `the last rule must be a catch-all (an empty "when") so that every input gets a decision; ` +
        `rule "${lastRule.id}" tests ${conditionFields(lastRule.when).join(', ')}`,
    );
  }

  if (errors.length === 0) checkReachability(ruleSet, report);
  return errors;
}

type Report = (path: Path, message: string) => void;

function checkDeclaredVocabulary(ruleSet: RuleSet, report: Report): void {
  const lists = [
    { key: 'complaints', spec: new Set<string>(COMPLAINTS), codes: ruleSet.vocabulary?.complaints, what: 'complaint' },
    { key: 'redFlags', spec: new Set<string>(RED_FLAGS), codes: ruleSet.vocabulary?.redFlags, what: 'red-flag' },
  ];
  for (const { key, spec, codes, what } of lists) {
    const seen = new Set<string>();
    codes?.forEach((code, i) => {
      if (spec.has(code)) report(['vocabulary', key, i], `"${code}" is already a SPEC ${what} code; declare only new codes`);
      else if (seen.has(code)) report(['vocabulary', key, i], `"${code}" is declared twice`);
      seen.add(code);
    });
  }
}

function checkCondition(
  when: RuleCondition,
  complaints: ReadonlySet<string>,
  redFlags: ReadonlySet<string>,
  report: Report,
): void {
  checkCodes(when.complaints, complaints, 'complaint', ['complaints'], report);
  checkCodes(when.anyFlags, redFlags, 'red-flag', ['anyFlags'], report);
  checkCodes(when.allFlags, redFlags, 'red-flag', ['allFlags'], report);
  checkCodes(when.noneFlags, redFlags, 'red-flag', ['noneFlags'], report);

  const required = new Set(when.allFlags ?? []);
  const excluded = new Set(when.noneFlags ?? []);
  when.noneFlags?.forEach((flag, i) => {
    if (required.has(flag)) report(['noneFlags', i], `"${flag}" is both required (allFlags) and excluded (noneFlags)`);
  });
  when.anyFlags?.forEach((flag, i) => {
    if (excluded.has(flag)) {
      report(['anyFlags', i], `"${flag}" is in anyFlags but excluded by noneFlags, so it can never count`);
    } else if (required.has(flag)) {
      report(['anyFlags', i], `"${flag}" is already required by allFlags, which makes anyFlags always true; remove one`);
    }
  });

  if (when.ageMin !== undefined && when.ageMax !== undefined && when.ageMin > when.ageMax) {
    report(['ageMin'], `impossible age range: ageMin ${when.ageMin} is greater than ageMax ${when.ageMax}`);
  }
  if (when.sex === 'male' && when.pregnant === true) {
    report(['pregnant'], 'contradictory: a rule for male patients cannot require pregnancy');
  }
}

function checkCodes(
  codes: readonly string[] | undefined,
  known: ReadonlySet<string>,
  what: string,
  path: Path,
  report: Report,
): void {
  const seen = new Set<string>();
  codes?.forEach((code, i) => {
    if (!known.has(code)) {
      report([...path, i], `unknown ${what} code "${code}" (not a SPEC code nor declared in $.vocabulary)`);
    } else if (seen.has(code)) {
      report([...path, i], `"${code}" is listed twice`);
    }
    seen.add(code);
  });
}

function checkOutcome(rule: Rule, report: Report): void {
  const then = rule.then;
  if (then.orientation === 'call-15') return;
  checkUnique(then.professions, ['professions'], 'profession', report);
  checkUnique(then.skills, ['skills'], 'skill', report);
  if (then.orientation === 'book') checkUnique(then.modalities, ['modalities'], 'modality', report);
}

function checkUnique(values: readonly string[] | undefined, path: Path, what: string, report: Report): void {
  const seen = new Set<string>();
  values?.forEach((value, i) => {
    if (seen.has(value)) report([...path, i], `${what} "${value}" is listed twice`);
    seen.add(value);
  });
}

function checkReachability(ruleSet: RuleSet, report: Report): void {
  const rules = ruleSet.rules;
  analyseReachability(ruleSet).forEach((result, i) => {
    if (result.reachable !== false) return;
    const rule = rules[i];
    if (rule === undefined) return;
    const covering = result.coveredBy.map((j) => ({ j, rule: rules[j] })).filter((c) => c.rule !== undefined);
    const first = covering[0];
    let message: string;
    if (first === undefined) {
      message = `rule "${rule.id}" matches no valid input: its conditions contradict each other`;
    } else if (covering.length === 1 && first.rule && conditionFields(first.rule.when).length === 0) {
      message = `rule "${rule.id}" can never fire: it comes after the catch-all rule "${first.rule.id}" (${jsonPath(['rules', first.j])})`;
    } else if (covering.length === 1 && first.rule) {
      message = `rule "${rule.id}" can never fire: every input it matches is matched first by rule "${first.rule.id}" (${jsonPath(['rules', first.j])})`;
    } else {
      const names = covering.map((c) => `"${c.rule?.id}" (${jsonPath(['rules', c.j])})`).join(', ');
      message = `rule "${rule.id}" can never fire: every input it matches is matched first by the earlier rules ${names} together`;
    }
    report(['rules', i], message);
  });
}

/** The condition fields a `when` actually sets. */
export function conditionFields(when: RuleCondition): string[] {
  return Object.entries(when)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
}
