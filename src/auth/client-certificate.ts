// A client certificate as the service sees it, whichever way it arrived: on
// this process's own TLS connection (verified by Node's TLS stack against
// TLS_CLIENT_CA_FILE and TLS_CRL_FILE), or from a reverse proxy that
// terminated TLS and passes the verified certificate in a header (trusted
// only from the configured proxy addresses: src/auth/certificate-proxy.ts).
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

export interface PresentedCertificate {
  /** SHA-256 of the DER certificate: what a registration names. */
  fingerprint: Buffer;
  /** The issuer's distinguished name, one `KEY=value` per line (Node's X509Certificate form). */
  issuer: string;
  subjectCn: string | null;
  subjectOu: string | null;
  notAfter: Date;
  /** Why it was not verified (an OpenSSL code such as CERT_REVOKED); undefined: verified. */
  unverified?: string;
}

/** The certificate's identity, fields named as the database stores them. */
export function describeCertificate(certificate: X509Certificate): Omit<PresentedCertificate, 'unverified'> {
  const subject = distinguishedName(certificate.subject);
  return {
    fingerprint: Buffer.from(certificate.fingerprint256.replaceAll(':', ''), 'hex'),
    issuer: certificate.issuer,
    subjectCn: subject.get('CN') ?? null,
    subjectOu: subject.get('OU') ?? null,
    notAfter: new Date(certificate.validTo),
  };
}

/** `KEY=value` lines; a repeated key (several OU) keeps its values joined by `+`, in order. */
function distinguishedName(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at);
    const value = line.slice(at + 1);
    fields.set(key, fields.has(key) ? `${fields.get(key)}+${value}` : value);
  }
  return fields;
}

// Read once per connection: every request of a keep-alive connection presents the same certificate.
const perConnection = new WeakMap<TLSSocket, PresentedCertificate | null>();

/** The certificate the peer of a TLS connection presented (null: none, or not a TLS connection). */
export function certificateOfConnection(socket: unknown): PresentedCertificate | null {
  const tls = socket as Partial<TLSSocket> | null;
  if (tls === null || typeof tls !== 'object' || tls.encrypted !== true || typeof tls.getPeerX509Certificate !== 'function') return null;
  const known = perConnection.get(tls as TLSSocket);
  if (known !== undefined) return known;
  const x509 = tls.getPeerX509Certificate();
  const presented = x509 === undefined ? null : {
    ...describeCertificate(x509),
    ...(tls.authorized === true ? {} : { unverified: String(tls.authorizationError ?? 'UNVERIFIED') }),
  };
  perConnection.set(tls as TLSSocket, presented);
  return presented;
}
