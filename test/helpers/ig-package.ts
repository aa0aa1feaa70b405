// The SAS implementation guide package (test/fixtures, see ORIGIN.md), read
// once per process with node's own gunzip and a minimal tar reader.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const IG_PACKAGE = fileURLToPath(new URL('../fixtures/ans.fhir.fr.sas-1.1.0.tgz', import.meta.url));
const BLOCK = 512;

let files: Map<string, Buffer> | undefined;

function packageFiles(): Map<string, Buffer> {
  if (files !== undefined) return files;
  if (!existsSync(IG_PACKAGE)) throw new Error(`the SAS IG package ans.fhir.fr.sas 1.1.0 is missing: expected at ${IG_PACKAGE} (see test/fixtures/ORIGIN.md)`);
  const tar = gunzipSync(readFileSync(IG_PACKAGE));
  files = new Map();
  for (let at = 0; at + BLOCK <= tar.length;) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`;
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    if (type === '0' || type === '') files.set(name, tar.subarray(at + BLOCK, at + BLOCK + size));
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

/** A JSON file of the IG package, e.g. "example/Bundle-ExampleBundleCPTS.json". */
export function igFile(name: string): any {
  const content = packageFiles().get(`package/${name}`);
  if (content === undefined) throw new Error(`${name} is not in the SAS IG package ${IG_PACKAGE}`);
  return JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
}
