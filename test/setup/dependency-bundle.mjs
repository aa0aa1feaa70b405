// The packages tests import by name, bundled once (esbuild, ESM, shared
// chunks) and resolved to that bundle by ts-hooks.mjs in test processes.
//
// Why: on Node 20 every module a test process imports goes through the loader
// thread tap's process-info hook opens, about 1,350 for a file that imports
// src/service.ts, nearly all from node_modules (date-fns 304, kysely 263,
// oidc-provider 197…). Bundled, they are 29 files: a file with one in-process
// service starts with about 1 s less CPU (security-headers 2.5 → 1.6 s,
// triage-api 3.4 → 2.4 s, holds 3.4 → 2.3 s; the suite runs ~70 such files).
// It is what Vite does to dependencies in development, for the same reason.
//
// The same code runs: each package's own ESM or CommonJS build, as Node would
// load it, concatenated; one copy of each module, shared by every entry (a
// package that imports `ws` gets the same `ws` as the tests). Each entry
// re-exports the names Node itself gives the package's namespace (CommonJS
// named exports included). Left out: packages that read files beside their
// code (@fastify/swagger, @fastify/swagger-ui), optional or native ones,
// tools, and tap. Service processes the tests start run the compiled build
// (build.ts) with plain node resolution, not this bundle.
//
// Keyed by the lockfile, the Node and esbuild versions and this file: a
// changed dependency gets a new bundle; the before script builds it
// (about 0.6 s) when missing, and a process that finds none resolves as usual.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'test-deps');

const BUNDLED = [
  'fastify', 'kysely', 'zod', 'pino', 'pg', 'pg-cursor', 'date-fns-tz', 'ws', 'prom-client',
  '@fastify/accept-negotiator', '@fastify/under-pressure', '@fastify/websocket', 'close-with-grace',
  'fast-json-stringify', 'fast-querystring', 'fastify-type-provider-zod', 'oidc-provider', 'openid-client', 'fast-check',
];
const EXTERNAL = ['@fastify/swagger', '@fastify/swagger-ui', 'pino-pretty', 'pg-native', 'esbuild', 'playwright-core', 'tap'];

function bundleDir() {
  const esbuildVersion = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'esbuild', 'package.json'), 'utf8')).version;
  const key = createHash('sha1')
    .update(readFileSync(path.join(ROOT, 'package-lock.json')))
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(`${process.versions.node}\0${esbuildVersion}`)
    .digest('hex').slice(0, 16);
  return path.join(CACHE, key);
}

/** Specifier → bundled file, or null when this checkout's bundle is not built. */
export function bundledDependencies() {
  try {
    return JSON.parse(readFileSync(path.join(bundleDir(), 'manifest.json'), 'utf8'));
  } catch {
    return null;
  }
}

const entryName = (specifier) => specifier.replaceAll('/', '__');

/** Builds this checkout's bundle unless it exists; removes bundles of other keys. */
export async function buildDependencyBundle() {
  const target = bundleDir();
  if (existsSync(path.join(target, 'manifest.json'))) return;
  const { build } = await import('esbuild');
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(path.join(staging, 'entries'), { recursive: true });
  const entryPoints = {};
  for (const specifier of BUNDLED) {
    const namespace = await import(specifier);
    const names = Object.keys(namespace).filter((name) => name !== 'default' && name !== 'module.exports');
    const lines = [`import * as ns from ${JSON.stringify(specifier)};`];
    if ('default' in namespace) lines.push('export default ns.default;');
    names.forEach((name, i) => lines.push(`const $${i} = ns[${JSON.stringify(name)}]; export { $${i} as ${JSON.stringify(name)} };`));
    const file = path.join(staging, 'entries', `${entryName(specifier)}.mjs`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    entryPoints[entryName(specifier)] = file;
  }
  await build({
    entryPoints, bundle: true, splitting: true, format: 'esm', platform: 'node', target: `node${process.versions.node}`,
    outdir: path.join(staging, 'out'), absWorkingDir: ROOT, nodePaths: [path.join(ROOT, 'node_modules')],
    keepNames: true, logLevel: 'error', external: EXTERNAL,
    // CommonJS code inside an ESM bundle still calls require() for Node's built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  const manifest = Object.fromEntries(BUNDLED.map((s) => [s, path.join(target, 'out', `${entryName(s)}.js`)]));
  writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify(manifest));
  try {
    renameSync(staging, target);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another run built it meanwhile
  }
  for (const name of readdirSync(CACHE)) {
    if (path.join(CACHE, name) !== target && !name.endsWith('.tmp')) rmSync(path.join(CACHE, name), { recursive: true, force: true });
  }
}
