// API clients that authenticate with a client certificate (mutual TLS, sql/014):
// registered by fingerprint, issuer and subject CN/OU; no token exists.
import type { Kysely } from 'kysely';
import type { AuthenticatedClient } from '../usecases/client.js';
import { clientRows, insertClient, liveClient, type NewClient } from './api-clients.js';
import type { Database } from './schema.js';

export interface CertificateIdentity {
  fingerprint: Buffer;
  issuer: string;
  subjectCn: string | null;
  subjectOu: string | null;
  notAfter: Date;
}

export interface RegisteredCertificate {
  client: AuthenticatedClient;
  issuer: string;
  subjectCn: string | null;
  subjectOu: string | null;
}

/** The client and its certificate in one transaction; the client expires with the certificate (or earlier if asked). */
export async function insertCertificateClient(db: Kysely<Database>, input: NewClient, certificate: CertificateIdentity): Promise<{ id: string }> {
  return db.transaction().execute(async (tx) => {
    const expiresAt = input.expiresAt !== undefined && input.expiresAt < certificate.notAfter ? input.expiresAt : certificate.notAfter;
    const { id } = await insertClient(tx, { ...input, expiresAt }, null);
    await tx.insertInto('api_client_certificates').values({
      client_id: id, fingerprint_sha256: certificate.fingerprint, issuer: certificate.issuer,
      subject_cn: certificate.subjectCn, subject_ou: certificate.subjectOu, not_after: certificate.notAfter,
    }).execute();
    return { id };
  });
}

/** The live client registered with this fingerprint, with the subject it was registered with; null: none (or revoked, expired). */
export async function findClientByCertificate(db: Kysely<Database>, fingerprint: Buffer, now = new Date()): Promise<RegisteredCertificate | null> {
  const row = await clientRows(db)
    .innerJoin('api_client_certificates as cc', 'cc.client_id', 'c.id')
    .select(['cc.issuer', 'cc.subject_cn', 'cc.subject_ou'])
    .where('cc.fingerprint_sha256', '=', fingerprint)
    .executeTakeFirst();
  if (row === undefined) return null;
  const client = liveClient(row, now);
  return client === null ? null : { client, issuer: row.issuer, subjectCn: row.subject_cn, subjectOu: row.subject_ou };
}

/** True when the fingerprint is already registered (a clear CLI message instead of a constraint error). */
export async function certificateRegistered(db: Kysely<Database>, fingerprint: Buffer): Promise<boolean> {
  const row = await db.selectFrom('api_client_certificates').select('client_id').where('fingerprint_sha256', '=', fingerprint).executeTakeFirst();
  return row !== undefined;
}
