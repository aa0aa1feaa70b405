// FrPractitionerRegul (IG 1.1.0): the regulator accounts the SAS platform creates
// and updates (flux v1, "Gestion des comptes régulateurs"). Parsed with zod, each
// violation named by its FHIRPath. The profile's rules: identifier 1..* sliced by
// system (IDNPS with type IDNPS, the SAS's internal system with type INTRN, at most
// one each), active 1..1, name.family 1..1, name.given 1..1, telecom.system fixed to
// email, meta.source fixed to the SAS's OID when present. The SAS specification of the
// flux makes name, first name and email mandatory for an account: name and an email
// telecom are required here too (the kit's "champs manquants" cases).
import { z } from 'zod';
import { PROFILE, SYSTEM } from './constants.js';
import type { OutcomeIssueInput } from './operation-outcome.js';
import type { RegulatorAccountFields } from '../../core/regulator-account.js';


/** What we keep of a regulator account. */
export type RegulatorAccountInput = RegulatorAccountFields;

export type ParsedRegulator =
  | { ok: true; account: RegulatorAccountInput }
  | { ok: false; httpStatus: 400 | 422; issues: OutcomeIssueInput[] };

/** A FHIR string: never empty nor only blanks (R4 datatypes). */
const CONTROL = /\p{Cc}/u;
const fhirString = z.string().max(200).regex(/\S/, 'must not be empty').refine((v) => !CONTROL.test(v), 'must not contain control characters');
const coding = z.looseObject({ system: z.string().optional(), code: z.string().optional() });
const TYPE_OF_SYSTEM: Record<string, string> = { [SYSTEM.idnps]: 'IDNPS', [SYSTEM.sasInternal]: 'INTRN' };
const v2 = 'http://interopsante.org/fhir/CodeSystem/fr-v2-0203';

const identifier = z.looseObject({
  type: z.looseObject({ coding: z.array(coding).optional() }).optional(),
  system: z.string().min(1),
  value: fhirString,
}).superRefine((id, ctx) => {
  const code = TYPE_OF_SYSTEM[id.system];
  if (code !== undefined && !(id.type?.coding ?? []).some((c) => c.system === v2 && c.code === code)) {
    ctx.addIssue({ code: 'custom', path: ['type'], message: `an identifier of system ${id.system} must have the type ${v2}|${code}` });
  }
});

const schema = z.looseObject({
  resourceType: z.literal('Practitioner'),
  meta: z.looseObject({
    source: z.literal(SYSTEM.sasInternal, { error: `must be ${SYSTEM.sasInternal} (the SAS)` }).optional(),
    profile: z.array(z.string()).optional(),
  }).optional(),
  identifier: z.array(identifier).min(1, 'at least one identifier is required').superRefine((ids, ctx) => {
    for (const system of [SYSTEM.idnps, SYSTEM.sasInternal]) {
      if (ids.filter((i) => i.system === system).length > 1) ctx.addIssue({ code: 'custom', message: `at most one identifier of system ${system}` });
    }
    if (!ids.some((i) => TYPE_OF_SYSTEM[i.system] !== undefined)) {
      ctx.addIssue({ code: 'custom', message: `an identifier of system ${SYSTEM.idnps} (IDNPS) or ${SYSTEM.sasInternal} (INTRN) is required to find the account again` });
    }
  }),
  active: z.boolean({ error: 'active (true or false) is required' }),
  name: z.array(z.looseObject({
    family: fhirString,
    given: z.array(fhirString).length(1, 'exactly one given name'),
  })).min(1, 'a name is required'),
  telecom: z.array(z.looseObject({
    system: z.literal('email', { error: 'telecom.system must be email' }),
    value: fhirString.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address'),
  })).min(1, 'an email is required'),
});

/** "Practitioner.identifier[0].type" from zod's path. */
function fhirPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : `${at}.${String(key)}`), 'Practitioner');
}

export function parseRegulatorPractitioner(body: unknown): ParsedRegulator {
  if (typeof body !== 'object' || body === null || (body as { resourceType?: unknown }).resourceType !== 'Practitioner') {
    return { ok: false, httpStatus: 400, issues: [{ code: 'structure', expression: 'Practitioner', diagnostics: 'the body must be a Practitioner resource (FrPractitionerRegul)' }] };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false, httpStatus: 422,
      issues: parsed.error.issues.map((issue) => ({
        code: issue.path.length === 0 || issue.message.includes('required') ? 'required' as const : 'value' as const,
        expression: fhirPath(issue.path),
        diagnostics: `${fhirPath(issue.path)}: ${issue.message} (FrPractitionerRegul)`,
      })),
    };
  }
  const r = parsed.data;
  const value = (system: string) => r.identifier.find((i) => i.system === system)?.value;
  const idnps = value(SYSTEM.idnps);
  const intrn = value(SYSTEM.sasInternal);
  return {
    ok: true,
    account: {
      ...(idnps !== undefined ? { idnps } : {}), ...(intrn !== undefined ? { intrn } : {}),
      familyName: r.name[0]!.family, givenName: r.name[0]!.given[0]!, email: r.telecom[0]!.value, active: r.active,
    },
  };
}

/** The stored account as a FrPractitionerRegul (the answer of a create or an update). */
export function buildRegulatorPractitioner(id: string, account: RegulatorAccountInput): { resourceType: 'Practitioner'; [element: string]: unknown } {
  const identifiers = [
    ...(account.idnps !== undefined ? [{ type: { coding: [{ system: v2, code: 'IDNPS' }] }, system: SYSTEM.idnps, value: account.idnps }] : []),
    ...(account.intrn !== undefined ? [{ type: { coding: [{ system: v2, code: 'INTRN' }] }, system: SYSTEM.sasInternal, value: account.intrn }] : []),
  ];
  return {
    resourceType: 'Practitioner',
    id,
    meta: { source: SYSTEM.sasInternal, profile: [PROFILE.practitionerRegul] },
    identifier: identifiers,
    active: account.active,
    name: [{ family: account.familyName, given: [account.givenName] }],
    telecom: [{ system: 'email', value: account.email }],
  };
}

/** ?identifier=<system>|<value> of the conditional update: one of the two systems accounts are found by. */
export function parseRegulatorCriterion(rawQuery: string): { ok: true; system: 'idnps' | 'intrn'; value: string } | { ok: false; issues: OutcomeIssueInput[] } {
  const params = new URLSearchParams(rawQuery);
  const keys = [...new Set(params.keys())];
  const values = params.getAll('identifier');
  const bad = (diagnostics: string) => ({ ok: false as const, issues: [{ code: 'invalid' as const, parameter: 'identifier', diagnostics }] });
  if (keys.some((k) => k !== 'identifier' && k !== '_format')) return bad(`unknown parameter ${keys.find((k) => k !== 'identifier' && k !== '_format')}: the conditional update takes identifier=<system>|<value> only`);
  if (values.length !== 1) return bad('exactly one identifier=<system>|<value> is required');
  const [system, ...rest] = values[0]!.split('|');
  const value = rest.join('|');
  if (value === '' || !/\S/.test(value) || value.length > 200 || CONTROL.test(value)) return bad('identifier needs a value (1 to 200 printable characters) after "|"');
  if (system === SYSTEM.idnps) return { ok: true, system: 'idnps', value };
  if (system === SYSTEM.sasInternal) return { ok: true, system: 'intrn', value };
  return bad(`identifier system must be ${SYSTEM.idnps} (IDNPS) or ${SYSTEM.sasInternal} (the SAS's internal identifier)`);
}
