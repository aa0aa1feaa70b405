import { z } from 'zod';
import { SEXES } from '../domain.js';
import type { CompiledRuleSet } from './compile.js';
import { jsonPath } from './json-path.js';
import { MAX_AGE_YEARS } from './rule-set-schema.js';
import type { TriageInput, ValidationError } from './types.js';
import { plainText } from '../text.js';

// Request-side checks, for the HTTP and WebSocket layers: the shape (usable as
// a route schema) and the codes, which depend on the territory's rule set.

export const TRIAGE_PATIENT_SCHEMA = z.strictObject({
  age: z
    .number({ error: 'age must be a number of years' })
    .min(0, { error: 'age cannot be negative' })
    .max(MAX_AGE_YEARS, { error: `age cannot exceed ${MAX_AGE_YEARS}` }),
  sex: z.enum(SEXES, { error: `sex must be one of ${SEXES.join(', ')}` }),
  pregnant: z.boolean({ error: 'pregnant must be true or false' }).optional(),
});

const CODE = plainText().min(1).max(64);

/** The body of `POST /v1/triage`; `redFlags` defaults to []. */
export const TRIAGE_INPUT_SCHEMA = z.strictObject({
  patient: TRIAGE_PATIENT_SCHEMA,
  complaint: CODE,
  redFlags: z.array(CODE).max(64).default([]),
});

export type TriageInputResult = { ok: true; input: TriageInput } | { ok: false; errors: ValidationError[] };

/** Shape, then codes known to this set, then consistency (a male patient is never pregnant). */
export function validateTriageInput(compiled: CompiledRuleSet, raw: unknown): TriageInputResult {
  const parsed = TRIAGE_INPUT_SCHEMA.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ path: jsonPath(issue.path as PropertyKey[]), message: issue.message })),
    };
  }
  const input: TriageInput = parsed.data;
  const errors = triageInputErrors(compiled, input);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, input };
}

/** The checks that need the rule set: for callers that validated the shape themselves. */
export function triageInputErrors(compiled: CompiledRuleSet, input: TriageInput): ValidationError[] {
  const errors: ValidationError[] = [];
  const complaints = compiled.complaintIds;
  const flags = compiled.flagIds;
  if (!complaints.has(input.complaint)) {
    errors.push({ path: '$.complaint', message: `unknown complaint "${input.complaint}"` });
  }
  input.redFlags.forEach((flag, i) => {
    if (!flags.has(flag)) errors.push({ path: `$.redFlags[${i}]`, message: `unknown red flag "${flag}"` });
  });
  if (input.patient.sex === 'male' && input.patient.pregnant === true) {
    errors.push({ path: '$.patient.pregnant', message: 'a male patient cannot be pregnant; use sex "unknown" or "female"' });
  }
  return errors;
}
