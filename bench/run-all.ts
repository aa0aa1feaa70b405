// Runs every benchmark, each in its own process (its own heap and event loop).
// `--quick` runs their small CI mode so that none of them rots unnoticed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const benches = readdirSync(here).filter((f) => f.endsWith('.ts') && !['run-all.ts', 'guard.ts', 'guard-thresholds.ts'].includes(f)).sort();
let failed = 0;
for (const bench of benches) {
  process.stdout.write(`\n=== ${bench} ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(here, bench), ...args], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`!!! ${bench} exited with ${result.status ?? result.signal}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
