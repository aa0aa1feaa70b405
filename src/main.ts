// Entry point: configuration, the service, and a graceful end on SIGINT/SIGTERM.
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { loggerOptions } from './logging.js';
import { startService } from './service.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}

const logger = pino(loggerOptions(config.LOG_LEVEL));
try {
  const service = await startService(config, logger);
  logger.info({ url: service.url, database: service.prepared.location.embedded ? 'embedded' : 'external' }, 'snp-match ready to serve');
  closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
    if (err !== undefined) logger.error({ err }, 'closing after an unexpected error');
    else logger.info({ signal }, 'closing');
    await service.close();
  });
} catch (error) {
  logger.fatal({ err: error }, 'start failed');
  process.exitCode = 1;
}
