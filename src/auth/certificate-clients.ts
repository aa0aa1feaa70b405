// Registering a client certificate as an API client (mutual TLS): no token is
// made; the certificate's fingerprint, issuer and subject CN/OU are stored, and
// the client expires with the certificate.
import { X509Certificate } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ClientInputError, type NewClient } from '../db/api-clients.js';
import { certificateRegistered, insertCertificateClient } from '../db/api-client-certificates.js';
import type { Database } from '../db/schema.js';
import { describeCertificate } from './client-certificate.js';

export async function createCertificateClient(db: Kysely<Database>, input: NewClient, pem: string, now = new Date()): Promise<{ id: string }> {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new ClientInputError('--cert must be a PEM certificate');
  }
  const identity = describeCertificate(certificate);
  if (identity.notAfter <= now) throw new ClientInputError(`the certificate expired on ${identity.notAfter.toISOString()}`);
  if (await certificateRegistered(db, identity.fingerprint)) throw new ClientInputError('this certificate is already registered (revoke that client first)');
  return insertCertificateClient(db, input, identity);
}
