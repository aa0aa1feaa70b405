// The use cases depend on ports they declare, never on an adapter: no import
// of src/db, src/sas, a transport, or a database or web framework.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const ROOT = fileURLToPath(new URL('../src/usecases', import.meta.url));
const FORBIDDEN = /^(?:\.\.\/)+(?:db|sas|http|ws|server|auth|observability)\/|^(?:kysely|pg|fastify|ws|pino)$/;
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);
}

t.test('src/usecases imports only src/core, itself and plain libraries', async (t) => {
  const offending: string[] = [];
  for (const file of sources(ROOT)) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = match[1] ?? match[2]!;
      if (FORBIDDEN.test(target)) offending.push(`${relative(ROOT, file)} imports ${target}`);
    }
  }
  t.ok(sources(ROOT).length > 10, 'the use cases were found');
  t.same(offending, []);
});
