// Runs every benchmark, each in its own process (its own heap and event loop).
// `--quick` runs their small CI mode so that none of them rots unnoticed;
// `--unguarded` leaves out those bench/guard.ts runs (CI runs the guard too).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { THRESHOLDS } from './guard-thresholds.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const unguarded = process.argv.includes('--unguarded');
const args = process.argv.slice(2).filter((a) => a !== '--unguarded');
const guarded = new Set(THRESHOLDS.map((t) => `${t.bench}.ts`));
const benches = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !['run-all.ts', 'guard.ts', 'guard-thresholds.ts'].includes(f))
  .filter((f) => !unguarded || !guarded.has(f)).sort();
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
