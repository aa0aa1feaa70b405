// Shared frame of the command-line tools: config, database, one-line errors, exit codes.
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { DataDirProblem } from '../db/data-dir-problem.js';
import type { DatabaseHandle } from '../db/database.js';
import { prepareDatabase } from '../db/prepare-database.js';

/** A mistake of the person typing: shown as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliOptions {
  /** --create-database: an embedded DATA_DIR without a database is initialised instead of refused. */
  createDatabase?: boolean;
}

export async function runCli(name: string, task: (database: DatabaseHandle, config: Config) => Promise<void>, options: CliOptions = {}): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    return fail(error instanceof ConfigError ? error.message : String(error), 2);
  }
  const logger = pino({ level: 'warn' }, pino.destination(2));
  let prepared;
  try {
    // A tool shares a running service's embedded server; it creates a database only when asked.
    prepared = await prepareDatabase(config, logger, `snp-match:${name}`, { role: name, create: options.createDatabase === true });
  } catch (error) {
    if (error instanceof DataDirProblem) return fail(`${name}: ${error.message}`, error.exitCode);
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
