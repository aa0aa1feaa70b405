// What the rule-set administration endpoints take and give (schemas shared by
// every transport, examples for the OpenAPI document).
import { z } from 'zod';
import { RULE_SET_SCHEMA, vocabularyOfRuleSet, type RuleSet, type ValidationError } from '../core/triage/index.js';
import type { RuleSetSource } from './rule-sets-in-force.js';
import { TERRITORY_ID } from './admin/scope.js';
import type { FieldError } from './problem.js';
import { fieldOfJsonPath } from './json-path-field.js';
import { multiLineText } from '../core/text.js';

/** A small valid set: it adds a complaint code and ends with the mandatory catch-all. */
export const EXAMPLE_RULE_SET = {
  name: 'CPTS de Vénissieux',
  vocabulary: { complaints: ['tooth-pain'] },
  rules: [
    {
      id: 'call15-vital-signs',
      when: { anyFlags: ['chest-pain', 'dyspnea', 'altered-consciousness', 'neurological-deficit', 'severe-bleeding', 'suicidal-ideation'] },
      then: { orientation: 'call-15', reason: 'Signe de gravité vitale : appel du 15.' },
    },
    {
      id: 'tooth-pain',
      when: { complaints: ['tooth-pain'], noneFlags: ['fever-over-38'] },
      then: { orientation: 'book', maxDelayMinutes: 1440, professions: ['dentist'], modalities: ['office'], reason: 'Douleur dentaire sans fièvre : dentiste sous 24 h.' },
    },
    {
      id: 'catch-all',
      when: {},
      then: { orientation: 'book', maxDelayMinutes: 2880, professions: ['gp'], reason: 'Médecin généraliste sous 48 h.' },
    },
  ],
};

export const territoryParamsSchema = z.object({ id: z.string().regex(TERRITORY_ID, 'must be a territory id') });

const note = multiLineText().trim().min(1).max(500).meta({ description: 'Why this version (kept in the history)' });
const document = z.record(z.string(), z.unknown()).meta({
  description: 'A rule-set document (format: src/core/triage/README.md; the `document` of GET …/rule-set shows it as JSON Schema). Validated by the triage engine: errors carry JSON paths.',
  example: EXAMPLE_RULE_SET,
});

export const validateRuleSetSchema = z.strictObject({ document }).meta({ example: { document: EXAMPLE_RULE_SET } });
export const replaceRuleSetSchema = z.strictObject({ document, note: note.optional() })
  .meta({ example: { document: EXAMPLE_RULE_SET, note: 'Dentistes de garde du week-end' } });
export const rollbackRuleSetSchema = z.strictObject({
  version: z.int().min(1).meta({ description: 'An earlier version of this territory (1: the national default)' }),
  note: note.optional(),
}).meta({ example: { version: 2, note: 'Retour à la version du 3 mars' } });

const vocabularySchema = z.object({ complaints: z.array(z.string()), redFlags: z.array(z.string()) });

export const ruleSetViewSchema = z.object({
  territory: z.string(),
  version: z.number().int(),
  source: z.enum(['national-default', 'territory']).meta({ description: 'national-default: the territory has no set of its own' }),
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable().meta({ description: 'The API client that stored it' }),
  note: z.string().nullable(),
  rules: z.number().int(),
  vocabulary: vocabularySchema.meta({ description: 'Every complaint and red-flag code this set accepts' }),
  document: RULE_SET_SCHEMA,
}).meta({
  example: {
    territory: 'venissieux', version: 3, source: 'territory', createdAt: '2026-03-10T13:02:11.000Z', createdBy: '5f0c2b8e-1d3a-4e6f-9a7b-8c9d0e1f2a3b',
    note: 'Dentistes de garde du week-end', rules: 3, vocabulary: { complaints: ['urinary-burning', '…', 'tooth-pain'], redFlags: ['chest-pain', '…'] }, document: EXAMPLE_RULE_SET,
  },
});
export type RuleSetView = z.infer<typeof ruleSetViewSchema>;

export const ruleSetVersionsSchema = z.object({
  territory: z.string(),
  inForce: z.number().int().meta({ description: 'The version this instance applies' }),
  versions: z.array(z.object({
    version: z.number().int(),
    source: z.enum(['national-default', 'territory']),
    createdAt: z.string().nullable(),
    createdBy: z.string().nullable(),
    note: z.string().nullable(),
    rules: z.number().int(),
  })).meta({ description: 'Newest first; version 1, the national default, last' }),
}).meta({
  example: {
    territory: 'venissieux', inForce: 3,
    versions: [
      { version: 3, source: 'territory', createdAt: '2026-03-10T13:02:11.000Z', createdBy: '5f0c2b8e-1d3a-4e6f-9a7b-8c9d0e1f2a3b', note: 'Retour à la version 2', rules: 3 },
      { version: 2, source: 'territory', createdAt: '2026-03-03T09:12:40.000Z', createdBy: '5f0c2b8e-1d3a-4e6f-9a7b-8c9d0e1f2a3b', note: 'Dentistes', rules: 3 },
      { version: 1, source: 'national-default', createdAt: null, createdBy: null, note: null, rules: 37 },
    ],
  },
});
export type RuleSetVersions = z.infer<typeof ruleSetVersionsSchema>;

const documentErrorSchema = z.object({
  field: z.string().meta({ description: 'e.g. body.document.rules.3.when.ageMin' }),
  path: z.string().optional().meta({ description: 'The JSON path inside the document, e.g. $.rules[3].when.ageMin (absent for an error outside it)' }),
  message: z.string(),
});

export const ruleSetValidationSchema = z.object({
  ok: z.boolean(),
  errors: z.array(documentErrorSchema).optional(),
  rules: z.number().int().optional(),
  vocabulary: vocabularySchema.optional(),
}).meta({
  example: { ok: false, errors: [{ field: 'body.document.rules.1.when.ageMin', path: '$.rules[1].when.ageMin', message: 'impossible age range: ageMin 70 is greater than ageMax 65' }] },
});
export type RuleSetValidation = z.infer<typeof ruleSetValidationSchema>;

/** The 400 of PUT: a problem whose `errors` also carry the JSON path inside the document. */
export const invalidRuleSetProblemSchema = z.looseObject({
  type: z.string(), title: z.string(), status: z.number().int(), detail: z.string().optional(),
  errors: z.array(documentErrorSchema),
}).meta({
  description: 'The document is invalid; nothing was stored and the version in force is unchanged',
  example: {
    type: 'urn:problem:snp-match:invalid-rule-set', title: 'Invalid rule set', status: 400, detail: 'body.document.rules.1.when.ageMin: impossible age range: ageMin 70 is greater than ageMax 65',
    errors: [{ field: 'body.document.rules.1.when.ageMin', path: '$.rules[1].when.ageMin', message: 'impossible age range: ageMin 70 is greater than ageMax 65' }],
  },
});

export function documentErrors(errors: readonly ValidationError[]): (FieldError & { path: string })[] {
  return errors.map((e) => ({ field: fieldOfJsonPath(e.path, 'document'), path: e.path, message: e.message }));
}

export function ruleSetView(territory: string, source: RuleSetSource, version: number, ruleSet: RuleSet, meta: { createdAt: Date | null; createdBy: string | null; note: string | null }): RuleSetView {
  return {
    territory, version, source,
    createdAt: meta.createdAt?.toISOString() ?? null, createdBy: meta.createdBy, note: meta.note,
    rules: ruleSet.rules.length,
    vocabulary: (({ complaints, redFlags }) => ({ complaints: [...complaints], redFlags: [...redFlags] }))(vocabularyOfRuleSet(ruleSet)),
    document: ruleSet,
  };
}
