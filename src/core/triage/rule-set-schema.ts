import { z } from 'zod';
import { MAX_HORIZON_HOURS, MODALITIES, PROFESSIONS, SEXES } from '../domain.js';
import { multiLineText, plainText } from '../text.js';

// The shape of a rule-set JSON document. Every object is strict: an unknown
// field is an error, because a misspelt condition (`agemin`) silently ignored
// would widen a rule. Codes are only checked for form here; whether they exist
// depends on the set's own vocabulary, see validate-rule-set.ts.

export const MAX_AGE_YEARS = 130;
/** A booking is never promised beyond the SNP horizon. */
export const MAX_BOOK_DELAY_MINUTES = MAX_HORIZON_HOURS * 60;
/** Bounds the cost of validation (reachability is quadratic in the number of rules). */
export const MAX_RULES = 300;
const MAX_LIST = 64;

const CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const RULE_ID = /^[a-z0-9][a-z0-9._-]*$/;

const code = (what: string) =>
  z
    .string({ error: `a ${what} code must be a string` })
    .max(64, { error: `a ${what} code has at most 64 characters` })
    .regex(CODE, { error: `a ${what} code is lower-case kebab-case, e.g. "sore-throat"` });

const codeList = (what: string) =>
  z
    .array(code(what), { error: `expected a list of ${what} codes` })
    .min(1, { error: 'an empty list is not a condition; omit the field instead' })
    .max(MAX_LIST, { error: `at most ${MAX_LIST} codes` });

const ageBound = (name: 'ageMin' | 'ageMax') =>
  z
    .int({ error: `${name} must be a whole number of years` })
    .min(0, { error: `${name} cannot be negative` })
    .max(MAX_AGE_YEARS, { error: `${name} cannot exceed ${MAX_AGE_YEARS} years` });

const profession = z.enum(PROFESSIONS, {
  error: (issue) => `unknown profession ${JSON.stringify(issue.input)}; expected one of ${PROFESSIONS.join(', ')}`,
});
const modality = z.enum(MODALITIES, {
  error: (issue) => `unknown modality ${JSON.stringify(issue.input)}; expected one of ${MODALITIES.join(', ')}`,
});

const reason = z
  .string({ error: 'reason must be a string' })
  .trim()
  .min(1, { error: 'every rule explains its decision: reason cannot be empty' })
  .max(500, { error: 'reason has at most 500 characters' });

const skills = z
  .array(code('skill'), { error: 'expected a list of skill codes' })
  .max(MAX_LIST, { error: `at most ${MAX_LIST} skills` });

/** Conditions are ANDed; an absent field does not constrain. An empty `when` is a catch-all. */
export const RULE_CONDITION_SCHEMA = z.strictObject({
  /** The complaint is one of these. */
  complaints: codeList('complaint').optional(),
  /** At least one of these red flags is present. */
  anyFlags: codeList('red-flag').optional(),
  /** All of these red flags are present. */
  allFlags: codeList('red-flag').optional(),
  /** None of these red flags is present. */
  noneFlags: codeList('red-flag').optional(),
  /** Inclusive, in completed years. */
  ageMin: ageBound('ageMin').optional(),
  /** Inclusive, in completed years. */
  ageMax: ageBound('ageMax').optional(),
  sex: z
    .enum(SEXES, { error: (issue) => `unknown sex ${JSON.stringify(issue.input)}; expected one of ${SEXES.join(', ')}` })
    .optional(),
  /** true: known to be pregnant; false: not known to be pregnant (absent in the input counts as false). */
  pregnant: z.boolean({ error: 'pregnant must be true or false' }).optional(),
});

const CALL_15_SCHEMA = z.strictObject({
  orientation: z.literal('call-15'),
  reason,
});

const PHARMACY_PROTOCOL_SCHEMA = z.strictObject({
  orientation: z.literal('pharmacy-protocol'),
  /** Who runs the cooperation protocol at the counter. */
  professions: z
    .array(profession, { error: 'expected a list of professions' })
    .min(1, { error: 'a pharmacy-protocol rule names the professions that run the protocol' })
    .max(PROFESSIONS.length, { error: 'a profession is listed twice' }),
  skills: skills.optional(),
  reason,
});

const BOOK_SCHEMA = z.strictObject({
  orientation: z.literal('book'),
  maxDelayMinutes: z
    .int({ error: 'maxDelayMinutes must be a whole number of minutes' })
    .min(1, { error: 'a booking needs a delay of at least 1 minute' })
    .max(MAX_BOOK_DELAY_MINUTES, {
      error: `maxDelayMinutes cannot exceed ${MAX_BOOK_DELAY_MINUTES} (${MAX_HORIZON_HOURS} h, the SNP horizon)`,
    }),
  /** In preference order. */
  professions: z
    .array(profession, { error: 'expected a list of professions' })
    .min(1, { error: 'a book rule needs at least one profession' })
    .max(PROFESSIONS.length, { error: 'a profession is listed twice' }),
  skills: skills.optional(),
  /** Absent: every modality. */
  modalities: z
    .array(modality, { error: 'expected a list of modalities' })
    .min(1, { error: 'a book rule with no modality could never be matched; omit the field to allow all' })
    .max(MODALITIES.length, { error: 'a modality is listed twice' })
    .optional(),
  reason,
});

export const RULE_OUTCOME_SCHEMA = z.discriminatedUnion('orientation', [
  CALL_15_SCHEMA,
  PHARMACY_PROTOCOL_SCHEMA,
  BOOK_SCHEMA,
]);

export const RULE_SCHEMA = z.strictObject({
  /** Stable: decisions, indicators and audits refer to it. */
  id: z
    .string({ error: 'id must be a string' })
    .max(80, { error: 'id has at most 80 characters' })
    .regex(RULE_ID, { error: 'id is lower-case letters, digits, ".", "_" or "-", e.g. "cystitis-pharmacy-protocol"' }),
  description: multiLineText().max(2000).optional(),
  when: RULE_CONDITION_SCHEMA,
  then: RULE_OUTCOME_SCHEMA,
});

export const RULE_SET_SCHEMA = z.strictObject({
  name: plainText().min(1).max(200).optional(),
  description: multiLineText().max(4000).optional(),
  /** Codes this set adds to the SPEC vocabulary (the SPEC codes always exist). */
  vocabulary: z
    .strictObject({
      complaints: z.array(code('complaint')).max(100).optional(),
      redFlags: z.array(code('red-flag')).max(100).optional(),
    })
    .optional(),
  /** Ordered: the first rule whose `when` matches decides. */
  rules: z
    .array(RULE_SCHEMA, { error: 'rules must be a list' })
    .min(1, { error: 'a rule set needs at least one rule (and its last rule must be a catch-all)' })
    .max(MAX_RULES, { error: `at most ${MAX_RULES} rules` }),
});

export type RuleSet = z.infer<typeof RULE_SET_SCHEMA>;
export type Rule = RuleSet['rules'][number];
export type RuleCondition = Rule['when'];
export type RuleOutcome = Rule['then'];
