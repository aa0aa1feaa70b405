// The FHIR R4 schema compiled once per tap run: ajv takes ~2-3 s of CPU to
// compile it, which each of the FHIR test files paid; loading the same
// validator as standalone code (ajv's own code generation, written to a
// module) takes ~0.3 s. Written into the run's build directory, whose
// node_modules link resolves the ajv runtime the code requires; under a
// temporary name and renamed, so a reader sees it whole or not at all.
import { rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fhirAjv } from '../helpers/fhir-schema.js';

const require = createRequire(import.meta.url);

export const fhirValidatorFile = (build: string): string => path.join(build, 'fhir-validate.cjs');

/** Writes the compiled root validator (oneOf over every resource type); false without the devDependencies. */
export async function writeFhirValidator(build: string): Promise<boolean> {
  let ajv;
  try { ajv = fhirAjv({ code: { source: true } }); } catch { return false; }
  const standaloneCode = (require('ajv/dist/standalone') as { default: (ajv: unknown, validate: unknown) => string }).default;
  const target = fhirValidatorFile(build);
  await writeFile(`${target}.${process.pid}.tmp`, standaloneCode(ajv, ajv.getSchema('fhir')!));
  await rename(`${target}.${process.pid}.tmp`, target);
  return true;
}
