// HTTPS and mutual TLS from the environment (issue 14): TLS_CERT_FILE and
// TLS_KEY_FILE make the listener TLS 1.2+ only; TLS_CLIENT_CA_FILE asks each
// client for a certificate issued by those authorities — asks, does not
// require, so that bearer-token clients keep working — and TLS_CRL_FILE lists
// the revoked ones. Node's TLS stack verifies the chain, validity dates and
// CRL; the outcome (socket.authorized, authorizationError) is read by
// src/auth/client-certificate.ts, which refuses every request of a connection
// whose certificate failed.
import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { ConfigError, type Config } from '../config.js';

export function tlsOptions(config: Config): ServerOptions | undefined {
  if (config.TLS_CERT_FILE === undefined || config.TLS_KEY_FILE === undefined) return undefined;
  const options: ServerOptions = {
    cert: read('TLS_CERT_FILE', config.TLS_CERT_FILE, 'CERTIFICATE'),
    key: read('TLS_KEY_FILE', config.TLS_KEY_FILE, 'PRIVATE KEY'),
    minVersion: 'TLSv1.2',
  };
  if (config.TLS_CLIENT_CA_FILE !== undefined) {
    options.ca = read('TLS_CLIENT_CA_FILE', config.TLS_CLIENT_CA_FILE, 'CERTIFICATE');
    options.requestCert = true;
    // Verified all the same: an unverified certificate gets a 401, never data.
    options.rejectUnauthorized = false;
    if (config.TLS_CRL_FILE !== undefined) options.crl = read('TLS_CRL_FILE', config.TLS_CRL_FILE, 'X509 CRL');
  }
  return options;
}

/** Reads and tries the TLS files before any other work: one line naming the variable whose file is unusable. */
export function checkTlsOptions(config: Config): void {
  const options = tlsOptions(config);
  if (options === undefined) return;
  tryPart('TLS_CERT_FILE', () => createSecureContext({ cert: options.cert }));
  tryPart('TLS_KEY_FILE', () => createSecureContext({ cert: options.cert, key: options.key }));
  // OpenSSL skips a CA block it cannot parse: parsed here, so that a broken bundle is not silently empty.
  if (options.ca !== undefined) tryPart('TLS_CLIENT_CA_FILE', () => String(options.ca).match(PEM_CERTIFICATES)?.forEach((block) => new X509Certificate(block)));
  if (options.crl !== undefined) tryPart('TLS_CRL_FILE', () => createSecureContext({ ca: options.ca, crl: options.crl }));
}

const PEM_CERTIFICATES = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function tryPart(variable: string, attempt: () => unknown): void {
  try {
    attempt();
  } catch (error) {
    throw new ConfigError(`invalid configuration: ${variable}: unusable (${(error as Error).message})`);
  }
}

/** The file's PEM text, or one line naming the variable when it holds no `label` block. */
function read(variable: string, path: string, label: string): string {
  const text = readFileSync(path, 'utf8');
  if (!new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(text)) throw new ConfigError(`invalid configuration: ${variable}: ${path} holds no PEM ${label}`);
  return text;
}
