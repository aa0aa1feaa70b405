// Module hooks (run in node's loader thread): a repository .ts file loads as
// esbuild's transform of it, cached on disk by content; `./x.js` written in a
// .ts file resolves to ./x.ts when no x.js exists (TypeScript's NodeNext rule).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync, version } from 'esbuild';
import { bundledDependencies } from './dependency-bundle.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ROOT_URL = pathToFileURL(ROOT).href;
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'test-ts');
const TS = /\.(ts|tsx|mts)$/;
const ours = (url) => url.startsWith(ROOT_URL) && !url.includes('/node_modules/');

// Packages imported by name from the repository's files load from their bundle
// (dependency-bundle.mjs: about 1 s of CPU less per process that imports the service).
// The bundle's own files are resolved and loaded here, past the other hooks:
// the first tap run after `npm ci` still has tap's default plugins (tsx, mock),
// whose hooks broke the links between the bundle's chunks.
const BUNDLED = bundledDependencies();
const BUNDLE_URL = BUNDLED === null ? null : `${pathToFileURL(path.dirname(Object.values(BUNDLED)[0])).href}/`;
const inBundle = (url) => BUNDLE_URL !== null && url.startsWith(BUNDLE_URL);

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  const bundled = BUNDLED?.[specifier];
  if (bundled !== undefined && parent !== undefined && ours(parent)) return { url: pathToFileURL(bundled).href, format: 'module', shortCircuit: true };
  if (parent !== undefined && inBundle(parent) && specifier.startsWith('./')) return { url: new URL(specifier, parent).href, format: 'module', shortCircuit: true };
  if (parent !== undefined && ours(parent) && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const js = new URL(specifier, parent);
    if (!existsSync(js)) {
      for (const ext of ['.ts', '.tsx']) {
        const ts = new URL(js.href.slice(0, -3) + ext);
        if (existsSync(ts)) return { url: ts.href, format: 'module', shortCircuit: true };
      }
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (inBundle(url)) return { format: 'module', source: readFileSync(fileURLToPath(url), 'utf8'), shortCircuit: true };
  if (!url.startsWith('file:') || !TS.test(url) || !ours(url)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const source = readFileSync(file, 'utf8');
  const key = createHash('sha1').update(version).update('\0').update(file).update('\0').update(source).digest('hex');
  const cached = path.join(CACHE, `${key}.js`);
  let code;
  try {
    code = readFileSync(cached, 'utf8');
  } catch {
    code = transformSync(source, {
      loader: file.endsWith('x') ? 'tsx' : 'ts', format: 'esm', target: `node${process.versions.node}`,
      // tsx's options: whitespace minified, names kept, an inline map without sources.
      sourcemap: 'inline', sourcesContent: false, minifyWhitespace: true, keepNames: true, sourcefile: file,
      jsx: 'automatic', jsxImportSource: 'preact', tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    }).code;
    mkdirSync(CACHE, { recursive: true });
    const staging = `${cached}.${process.pid}.tmp`;
    writeFileSync(staging, code);
    renameSync(staging, cached);
  }
  // Not on through tap's process-info hook: it would copy each file's text to
  // the main thread, split it into lines and parse its source map, for a
  // coverage this suite does not take (about 0.7 s of CPU per test process
  // that imports the service).
  return { format: 'module', source: code, shortCircuit: true };
}
