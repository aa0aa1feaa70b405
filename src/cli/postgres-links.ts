// node dist/cli/postgres-links.js: creates the PostgreSQL library links that the
// binaries package's postinstall would have made (skipped by `npm ci --ignore-scripts`).
// The container build runs it as root, because the image's unprivileged user cannot
// write node_modules; every other start makes the same check itself.
import { postgresBinaries } from '../db/postgres-binaries.js';

try {
  const { packageDir } = await postgresBinaries();
  process.stdout.write(`PostgreSQL library links present in ${packageDir}\n`);
} catch (error) {
  process.stderr.write(`postgres-links: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
