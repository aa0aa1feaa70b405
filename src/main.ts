// Entry point: configuration checked before any work, the service, and a graceful
// end on SIGINT/SIGTERM. Mistakes an operator can fix are one line, exit code 2
// (1 when the machine needs fixing), never a stack trace.
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { DataDirProblem } from './db/data-dir-problem.js';
import { checkListenAddresses } from './listen-check.js';
import { loggerOptions } from './logging.js';
import { startService } from './service.js';
import { checkTlsOptions } from './server/tls-options.js';

function refuse(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let config;
try {
  config = loadConfig();
  checkTlsOptions(config);
  await checkListenAddresses(config);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  refuse(error.message, 2);
}

const logger = pino(loggerOptions(config.LOG_LEVEL));
try {
  const service = await startService(config, logger);
  const embedded = service.prepared.location.embedded !== null;
  logger.info({
    url: service.url, database: embedded ? 'embedded' : 'external', docs: `${service.url}/docs`,
    createClient: 'npm run --silent clients -- create --role regulator --territory venissieux --name "my regulator"  (container image: node dist/cli/clients.js create …)',
  }, 'snp-match ready to serve');
  closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
    if (err !== undefined) logger.error({ err }, 'closing after an unexpected error');
    else logger.info({ signal }, 'closing: draining requests, then stopping');
    await service.close();
  });
} catch (error) {
  if (error instanceof DataDirProblem) {
    logger.flush?.();
    refuse(error.message, error.exitCode);
  }
  logger.fatal({ err: error }, 'start failed');
  process.exitCode = 1;
}
