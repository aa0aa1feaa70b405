// A service listening with HTTPS and mutual TLS, on certificates made by the
// test (test/helpers/tls-certs.ts), and a client for it: any kit group's test
// can run over TLS with startTlsTestService instead of startTestService.
import { request as httpsRequest, Agent } from 'node:https';
import type { SecureVersion } from 'node:tls';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Test } from 'tap';
import { createCertificateClient } from '../../src/auth/certificate-clients.js';
import type { Database } from '../../src/db/schema.js';
import type { Service } from '../../src/service.js';
import type { Role } from '../../src/usecases/client.js';
import { startTestService } from './service.js';
import { testPki, type CertificateFiles, type TestPki } from './tls-certs.js';

export { testPki, type CertificateFiles, type TestPki };

/** A service with TLS_CERT_FILE/TLS_KEY_FILE (the test server certificate), TLS_CLIENT_CA_FILE and TLS_CRL_FILE (the test CA's). */
export async function startTlsTestService(t: Test, databaseUrl: string, env: Record<string, string> = {}, logger?: Logger): Promise<Service & { pki: TestPki }> {
  const pki = testPki();
  const service = await startTestService(t, databaseUrl, {
    TLS_CERT_FILE: pki.server.cert, TLS_KEY_FILE: pki.server.key, TLS_CLIENT_CA_FILE: pki.caFile, TLS_CRL_FILE: pki.crlFile, ...env,
  }, logger);
  return Object.assign(service, { pki });
}

/** Registers a certificate as an API client, as `clients create --cert` does. */
export async function registerCertificate(db: Kysely<Database>, files: CertificateFiles, role: Role, territories: string[], rpps?: string): Promise<{ id: string }> {
  return createCertificateClient(db, { role, territories, rpps }, files.certPem);
}

export interface TlsRequestOptions {
  /** The client certificate to present; none: no certificate. */
  client?: CertificateFiles;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** A keep-alive agent, to send several requests on one connection. */
  agent?: Agent;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
}

export interface TlsAnswer { status: number; headers: Record<string, string | string[] | undefined>; json: any; text: string }

/** One request over TLS, trusting the test CA; rejects on a TLS failure (the error's `code` says which). */
export function tlsRequest(service: { url: string }, method: string, path: string, options: TlsRequestOptions = {}): Promise<TlsAnswer> {
  const pki = testPki();
  const headers: Record<string, string> = { accept: 'application/fhir+json, application/json', ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  return new Promise((resolve, reject) => {
    const request = httpsRequest(new URL(path, service.url), {
      method, headers, ca: pki.caPem,
      ...(options.client !== undefined ? { cert: options.client.certPem, key: options.client.keyPem } : {}),
      ...(options.agent !== undefined ? { agent: options.agent } : { agent: false }),
      ...(options.minVersion !== undefined ? { minVersion: options.minVersion } : {}),
      ...(options.maxVersion !== undefined ? { maxVersion: options.maxVersion } : {}),
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { text += chunk; });
      response.on('end', () => {
        let json: any;
        try { json = text === '' ? undefined : JSON.parse(text); } catch { json = undefined; }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, json, text });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A keep-alive agent presenting `client` (one TLS connection reused for sequential requests). */
export function tlsAgent(client?: CertificateFiles): Agent {
  const pki = testPki();
  return new Agent({ keepAlive: true, maxSockets: 1, ca: pki.caPem, ...(client !== undefined ? { cert: client.certPem, key: client.keyPem } : {}) });
}
