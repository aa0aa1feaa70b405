import type { z } from 'zod';
import { ORIENTATIONS } from '../domain.js';
import { jsonPath } from './json-path.js';
import { RULE_SET_SCHEMA, type RuleSet } from './rule-set-schema.js';
import type { ValidationError } from './types.js';
import { validateRuleSet } from './validate-rule-set.js';

export type RuleSetParseResult =
  | { ok: true; ruleSet: RuleSet }
  | { ok: false; errors: ValidationError[] };

// Sets that came out of parseRuleSet, so compileRuleSet need not validate twice.
const validated = new WeakSet<object>();

/**
 * Shape (zod) then meaning (validate-rule-set.ts). Never throws: any input,
 * however hostile, gives either a valid, deeply frozen rule set or a list of
 * errors with JSON paths. Nothing of an invalid document is usable.
 */
export function parseRuleSet(doc: unknown): RuleSetParseResult {
  try {
    const parsed = RULE_SET_SCHEMA.safeParse(doc);
    if (!parsed.success) return { ok: false, errors: shapeErrors(parsed.error.issues, doc) };
    const errors = validateRuleSet(parsed.data);
    if (errors.length > 0) return { ok: false, errors };
    const ruleSet = deepFreeze(parsed.data);
    validated.add(ruleSet);
    return { ok: true, ruleSet };
  } catch (error) {
    // e.g. a getter that throws, a cyclic structure or a stack overflow
    return { ok: false, errors: [{ path: '$', message: `the document cannot be read: ${describe(error)}` }] };
  }
}

export function isValidatedRuleSet(ruleSet: RuleSet): boolean {
  return validated.has(ruleSet);
}

function shapeErrors(issues: readonly z.core.$ZodIssue[], doc: unknown): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ path: jsonPath([...path, key]), message: unknownFieldMessage(doc, path, key) });
    } else if (issue.code === 'invalid_union' && path.at(-1) === 'orientation') {
      errors.push({
        path: jsonPath(path),
        message: `orientation must be one of ${ORIENTATIONS.map((o) => JSON.stringify(o)).join(', ')}`,
      });
    } else if (isMissing(doc, path)) {
      errors.push({ path: jsonPath(path), message: `missing required field "${String(path.at(-1))}"` });
    } else {
      errors.push({ path: jsonPath(path), message: issue.message });
    }
  }
  return errors;
}

const OUTCOME_FIELDS = new Set(['orientation', 'maxDelayMinutes', 'professions', 'skills', 'modalities', 'reason']);

function unknownFieldMessage(doc: unknown, path: readonly PropertyKey[], key: string): string {
  // A field that belongs to another orientation deserves a more useful message.
  if (path.at(-1) === 'then' && OUTCOME_FIELDS.has(key)) {
    const orientation = valueAt(doc, [...path, 'orientation']);
    return `field "${key}" does not apply to orientation ${JSON.stringify(orientation)}`;
  }
  return `unknown field "${key}"`;
}

function isMissing(doc: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return false;
  const parent = valueAt(doc, path.slice(0, -1));
  const key = path.at(-1);
  return typeof parent === 'object' && parent !== null && !Array.isArray(parent) && !Object.hasOwn(parent, key as PropertyKey);
}

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = doc;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
