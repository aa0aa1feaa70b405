// npm run seed: writes the demo territories (SPEC §7) into the configured database.
// Safe to run again: what is already there is kept.
import { seedDemo } from '../db/seed-demo.js';
import { runCli } from './run-cli.js';

await runCli('seed', async ({ db }, config) => {
  const report = await seedDemo(db, config.MATERIALISE_DAYS);
  process.stdout.write(`${JSON.stringify(report)}\n`);
});
