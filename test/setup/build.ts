// The service compiled once per tap run, for the tests that start it as its
// own process (the cluster-* files, service-lifecycle, ws-failover, the CLI):
// under tsx each such start spends about 2 s of CPU transpiling and resolving
// through a loader thread, the compiled one starts as the container's `node
// dist/main.js` does. esbuild is what tsx runs, so the code is the same.
//
// Layout, in the run directory: build/dist/** (src/, one level down like the
// product's dist/, so src/db/migrate.ts finds ../../sql), with build/sql,
// build/node_modules and build/package.json ("type": "module") linked to the
// checkout's. Written under a temporary name and renamed, so a reader sees it
// whole or not at all. The keeper removes the run directory at the end.
import { cp, mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = path.join(ROOT, 'src');

export const buildDir = (runDirectory: string): string => path.join(runDirectory, 'build');

export async function buildService(runDirectory: string): Promise<void> {
  const target = buildDir(runDirectory);
  const staging = `${target}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  const files = (await readdir(SRC, { recursive: true, withFileTypes: true })).filter((f) => f.isFile())
    .map((f) => path.join(f.parentPath ?? f.path, f.name));
  await build({
    entryPoints: files.filter((f) => f.endsWith('.ts')),
    outdir: path.join(staging, 'dist'), outbase: SRC,
    format: 'esm', platform: 'node', target: `node${process.versions.node}`, bundle: false, logLevel: 'error',
  });
  // Data files imported beside the code (e.g. src/seed/commune-centres.json).
  for (const file of files.filter((f) => !f.endsWith('.ts'))) {
    await cp(file, path.join(staging, 'dist', path.relative(SRC, file)));
  }
  for (const name of ['sql', 'node_modules', 'package.json']) await symlink(path.join(ROOT, name), path.join(staging, name));
  await mkdir(path.dirname(target), { recursive: true });
  await rename(staging, target);
}
