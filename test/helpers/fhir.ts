// FHIR test helpers: the official R4 (4.0.1) JSON schema check (fhir-schema.ts),
// reference resolution inside a Bundle.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Test } from 'tap';
import { currentBuild } from '../setup/run-state.js';
import { fhirValidatorFile } from '../setup/fhir-standalone.js';
import { fhirAjv } from './fhir-schema.js';

const require = createRequire(import.meta.url);

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
let compiled: { validate: Validate; explain: (type: string) => Validate | undefined } | undefined;

/**
 * Once per process: the tap run's precompiled validator when there is one
 * (test/setup/fhir-standalone.ts, ~0.3 s to load), else compiled here (~3 s).
 * A type's own definition, asked only to explain a failure, compiles on demand.
 */
function validator() {
  if (compiled !== undefined) return compiled;
  const build = currentBuild();
  const file = build === null ? null : fhirValidatorFile(build);
  let ajv: ReturnType<typeof fhirAjv> | undefined;
  const loaded = () => (ajv ??= fhirAjv());
  const validate = file !== null && existsSync(file)
    ? require(file) as Validate
    : loaded().getSchema('fhir') as Validate;
  compiled = { validate, explain: (type) => loaded().getSchema(`fhir#/definitions/${type}`) as Validate | undefined };
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
