// The web app's assets (src/web, browser code): bundled by esbuild from the
// sources when they are there (`npm start`, at the first /app request, in
// memory), else read from dist/web, which `npm run build` writes (the Docker
// image has no src/), with their brotli and gzip forms (app.js.br, app.js.gz).
// One bundle per process, compressed once (web-compression.ts).
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressAsset, contentTag, type Encoding } from './web-compression.js';

export interface WebAsset {
  body: Buffer;
  type: string;
  /** The ETag's opaque part, from the uncompressed bytes. */
  tag: string;
  /** The same bytes brotli- and gzip-compressed, made once. */
  encoded: Partial<Record<Encoding, Buffer>>;
}
const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };
export type WebAssets = Map<string, WebAsset>;

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', map: 'application/json' };
const SOURCE_ENTRY = fileURLToPath(new URL('../web/main.tsx', import.meta.url));
const BUILT_DIR = fileURLToPath(new URL('../web/', import.meta.url));
export const ASSET_NAMES = ['app.js', 'app.css'] as const;

function typeOf(name: string): string {
  return TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

/** Bundles src/web into `outdir` (written) or into memory (outdir undefined). */
export async function bundleWeb(outdir?: string): Promise<WebAssets> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: { app: SOURCE_ENTRY }, bundle: true, minify: true, format: 'esm', target: ['es2020'], platform: 'browser',
    jsx: 'automatic', jsxImportSource: 'preact', outdir: '/web-out', write: false, logLevel: 'silent', legalComments: 'none',
  });
  const assets: WebAssets = new Map();
  for (const file of result.outputFiles ?? []) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const body = Buffer.from(file.contents);
    assets.set(name, { body, type: typeOf(name), tag: contentTag(body), encoded: await compressAsset(body, typeOf(name)) });
  }
  if (outdir !== undefined) {
    await mkdir(outdir, { recursive: true });
    for (const [name, asset] of assets) {
      await writeFile(path.join(outdir, name), asset.body);
      for (const [encoding, bytes] of Object.entries(asset.encoded) as [Encoding, Buffer][]) await writeFile(path.join(outdir, name + SUFFIX[encoding]), bytes);
    }
  }
  return assets;
}

/** A built file's compressed forms, written by the build; made here when missing (a dist/web from an older build). */
async function readEncoded(name: string, body: Buffer): Promise<Partial<Record<Encoding, Buffer>>> {
  const read = async (encoding: Encoding) => readFile(BUILT_DIR + name + SUFFIX[encoding]).catch(() => undefined);
  const [br, gzip] = [await read('br'), await read('gzip')];
  return br !== undefined && gzip !== undefined ? { br, gzip } : compressAsset(body, typeOf(name));
}

async function readBuilt(): Promise<WebAssets> {
  const assets: WebAssets = new Map();
  for (const name of ASSET_NAMES) {
    const body = await readFile(BUILT_DIR + name);
    assets.set(name, { body, type: typeOf(name), tag: contentTag(body), encoded: await readEncoded(name, body) });
  }
  return assets;
}

let loading: Promise<WebAssets> | undefined;

/** The assets, bundled or read once per process (a failure is retried at the next call). */
export function webAssets(): Promise<WebAssets> {
  loading ??= (existsSync(SOURCE_ENTRY) ? bundleWeb() : readBuilt()).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
