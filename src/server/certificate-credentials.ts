// Wires the client-certificate credential (src/auth/certificate-*.ts) from the
// configuration: on with mutual TLS (TLS_CLIENT_CA_FILE) or a certificate proxy
// (TLS_CLIENT_CERT_PROXIES); absent otherwise (bearer tokens only).
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Authenticator } from '../auth/authenticator.js';
import type { CertificateCredentials } from '../auth/certificate-authentication.js';
import { CertificateAuthenticator } from '../auth/certificate-authenticator.js';
import { CertificateProxy, certificatesOfBundle } from '../auth/certificate-proxy.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';

export function certificateCredentials(config: Config, db: Kysely<Database>, authenticator: Authenticator): CertificateCredentials | undefined {
  const mutualTls = config.TLS_CLIENT_CA_FILE !== undefined && config.TLS_CERT_FILE !== undefined;
  if (!mutualTls && config.TLS_CLIENT_CERT_PROXIES === undefined) return undefined;
  const authorities = config.TLS_CLIENT_CA_FILE === undefined ? undefined : certificatesOfBundle(readFileSync(config.TLS_CLIENT_CA_FILE, 'utf8'));
  return {
    certificates: new CertificateAuthenticator(db, authenticator),
    proxy: new CertificateProxy({ proxies: config.TLS_CLIENT_CERT_PROXIES, ...(authorities !== undefined ? { authorities } : {}) }),
  };
}
