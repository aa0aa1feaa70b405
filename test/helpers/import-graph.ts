// The import graph of src/, read with TypeScript's own pre-processor (static,
// dynamic and type-only imports, re-exports), for the layering test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** The importing file, relative to the repository root (src/…). */
  from: string;
  /** A file relative to the repository root, or a package name (fastify, @fastify/websocket, node:fs). */
  to: string;
  internal: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** `fastify/types` → fastify; `@fastify/websocket/x` → @fastify/websocket. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export function importGraph(root: string, folder = 'src'): ImportEdge[] {
  return sourceFiles(path.join(root, folder)).flatMap((file) => {
    const from = path.relative(root, file);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    return info.importedFiles.map(({ fileName }) => {
      if (!fileName.startsWith('.')) return { from, to: packageName(fileName), internal: false };
      const resolved = path.resolve(path.dirname(file), fileName).replace(/\.js$/, '.ts');
      // Browser code (src/web) has .tsx files, imported as .js like the rest.
      const target = path.relative(root, !existsSync(resolved) && existsSync(`${resolved}x`) ? `${resolved}x` : resolved);
      return { from, to: target, internal: true };
    });
  });
}
