// Client certificate → API client (mutual TLS), beside the bearer-token
// Authenticator and sharing its change notifications: a revoked client's
// certificate stops working at once on every instance, and the certificate's
// notAfter is the client's expiry (sql/014), so sockets bound to it close then.
//
// A certificate that the TLS stack (or the trusted proxy) did not verify —
// unknown authority, expired, revoked by the CRL — is refused without any
// lookup. A verified one is looked up by its SHA-256 fingerprint and must
// match the issuer and subject CN/OU it was registered with.
import type { Kysely } from 'kysely';
import { findClientByCertificate } from '../db/api-client-certificates.js';
import type { Database } from '../db/schema.js';
import type { AuthenticatedClient } from '../usecases/client.js';
import type { Authenticator } from './authenticator.js';
import type { PresentedCertificate } from './client-certificate.js';
import { LruMap } from './lru-map.js';

const CACHE_MS = 10_000;
const CACHE_MAX = 10_000;

export interface CertificateRefusal { refused: string }

export class CertificateAuthenticator {
  private readonly cache = new LruMap<string, { client: AuthenticatedClient | null; until: number }>(CACHE_MAX);
  private readonly detach: () => void;

  constructor(private readonly db: Kysely<Database>, authenticator: Pick<Authenticator, 'onClientChange'>) {
    this.detach = authenticator.onClientChange((clientId) => {
      if (clientId === null) this.cache.clear();
      // Unknown fingerprints are forgotten too: the change may be a registration's undoing.
      else this.cache.deleteWhere((entry) => entry.client === null || entry.client.id === clientId);
    });
  }

  /** The client the certificate was registered for, or why not. */
  async authenticate(certificate: PresentedCertificate): Promise<AuthenticatedClient | CertificateRefusal> {
    if (certificate.unverified !== undefined) return { refused: `the client certificate is not accepted (${certificate.unverified})` };
    const now = Date.now();
    if (certificate.notAfter.getTime() <= now) return { refused: 'the client certificate is not accepted (CERT_HAS_EXPIRED)' };
    const key = certificate.fingerprint.toString('base64');
    let entry = this.cache.get(key);
    if (entry === undefined || entry.until <= now) {
      const registered = await findClientByCertificate(this.db, certificate.fingerprint);
      const client = registered !== null && registered.issuer === certificate.issuer
        && registered.subjectCn === certificate.subjectCn && registered.subjectOu === certificate.subjectOu ? registered.client : null;
      entry = { client, until: Math.min(now + CACHE_MS, client?.expiresAt?.getTime() ?? Infinity, certificate.notAfter.getTime()) };
      this.cache.set(key, entry);
    }
    return entry.client ?? { refused: 'the client certificate is not registered, or revoked, or its issuer or subject (CN, OU) does not match' };
  }

  stop(): void {
    this.detach();
  }
}
