// Shared frame of the command-line tools: config, database, one-line errors, exit codes.
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import { prepareDatabase } from '../db/prepare-database.js';

/** A mistake of the person typing: shown as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export async function runCli(name: string, task: (database: DatabaseHandle, config: Config) => Promise<void>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    return fail(error instanceof ConfigError ? error.message : String(error), 2);
  }
  const logger = pino({ level: 'warn' }, pino.destination(2));
  let prepared;
  try {
    prepared = await prepareDatabase(config, logger, `snp-match:${name}`);
  } catch (error) {
    return fail(`${name}: cannot reach the database: ${(error as Error).message}`, 1);
  }
  try {
    await task(prepared.database, config);
  } catch (error) {
    const usage = error instanceof UsageError || (error as Error).name.endsWith('InputError');
    process.exitCode = usage ? 2 : 1;
    process.stderr.write(`${name}: ${(error as Error).message}\n`);
  } finally {
    await prepared.close();
  }
}

function fail(message: string, code: number): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = code;
}
