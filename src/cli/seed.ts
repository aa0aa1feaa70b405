// npm run seed [-- --create-database]: writes the demo territories (SPEC §7) into the
// configured database. Safe to run again: what is already there is kept.
import { parseArgs } from 'node:util';
import { seedDemo } from '../db/seed-demo.js';
import { runCli } from './run-cli.js';

let createDatabase = false;
try {
  createDatabase = parseArgs({ options: { 'create-database': { type: 'boolean' } }, strict: true }).values['create-database'] === true;
} catch (error) {
  process.stderr.write(`seed: ${(error as Error).message}\nusage: seed [--create-database]\n`);
  process.exit(2);
}

await runCli('seed', async ({ db }, config) => {
  const report = await seedDemo(db, config.MATERIALISE_DAYS);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}, { createDatabase });
