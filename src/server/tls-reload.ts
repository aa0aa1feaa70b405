// The TLS files are re-read when they change (checked every `everyMs`): a CRL
// is republished daily by its authority and a server certificate is renewed,
// neither should need a restart. New connections get the new context; open
// ones keep theirs (their certificate was checked at their handshake, and a
// revoked API client is closed by the credential watch). A file being
// rewritten (unreadable or incomplete) keeps the context in force and is tried
// again at the next check.
import { statSync } from 'node:fs';
import type { Server } from 'node:https';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { tlsOptions } from './tls-options.js';

const FILES = ['TLS_CERT_FILE', 'TLS_KEY_FILE', 'TLS_CLIENT_CA_FILE', 'TLS_CRL_FILE'] as const;

export function reloadTlsOnChange(server: Server, config: Config, logger: Logger, everyMs = 60_000): () => void {
  const stamp = () => FILES.map((variable) => {
    const path = config[variable];
    if (path === undefined) return '';
    try {
      const stat = statSync(path);
      return `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return 'unreadable';
    }
  }).join('|');
  let last = stamp();
  const timer = setInterval(() => {
    const now = stamp();
    if (now === last) return;
    try {
      const options = tlsOptions(config);
      if (options !== undefined) server.setSecureContext(options);
      last = now;
      logger.info('TLS files changed: new connections use them');
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'TLS files changed but cannot be used yet; keeping the previous ones');
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
