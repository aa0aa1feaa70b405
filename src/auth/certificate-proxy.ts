// A reverse proxy that terminates TLS passes the client certificate it
// verified in `X-SSL-Client-Cert` (URL-encoded PEM: nginx's
// `$ssl_client_escaped_cert`), and may say the verification's outcome in
// `X-SSL-Client-Verify` (nginx's `$ssl_client_verify`: SUCCESS, else refused).
// The header is a credential: it is trusted only from the peer addresses in
// TLS_CLIENT_CERT_PROXIES (the TCP peer, never X-Forwarded-For), and from
// anyone else it is refused. With TLS_CLIENT_CA_FILE set, the certificate must
// also be issued by one of those authorities and be within its validity.
import { X509Certificate } from 'node:crypto';
import type { AddressList } from '../address-list.js';
import { describeCertificate, type PresentedCertificate } from './client-certificate.js';
import { LruMap } from './lru-map.js';

export const CERT_HEADER = 'x-ssl-client-cert';
export const VERIFY_HEADER = 'x-ssl-client-verify';

export interface CertificateProxyOptions {
  /** Peers allowed to send the header; undefined: nobody. */
  proxies: AddressList | undefined;
  /** Authorities a forwarded certificate must be issued by (PEM bundle); undefined: the proxy's word. */
  authorities?: X509Certificate[];
}

export type ForwardedCertificate = PresentedCertificate | { refused: string } | null;

export class CertificateProxy {
  // Parsing a certificate costs tens of microseconds: a client sends the same header on every request.
  private readonly parsed = new LruMap<string, Omit<PresentedCertificate, 'unverified'> | string>(1_000);

  constructor(private readonly options: CertificateProxyOptions) {}

  /** The forwarded certificate (null: no header), or why it is refused. */
  read(headers: Record<string, string | string[] | undefined>, peer: string | undefined, now = Date.now()): ForwardedCertificate {
    const header = headers[CERT_HEADER];
    if (header === undefined) return null;
    if (this.options.proxies?.has(peer) !== true) return { refused: `${CERT_HEADER} is accepted from the configured proxies only` };
    if (typeof header !== 'string' || header === '') return { refused: `${CERT_HEADER} must be one URL-encoded PEM certificate` };
    const verify = headers[VERIFY_HEADER];
    if (verify !== undefined && verify !== 'SUCCESS') return { refused: 'the proxy did not verify the client certificate' };
    let described = this.parsed.get(header);
    if (described === undefined) this.parsed.set(header, described = this.parse(header));
    if (typeof described === 'string') return { refused: described };
    if (described.notAfter.getTime() <= now) return { ...described, unverified: 'CERT_HAS_EXPIRED' };
    return described;
  }

  private parse(header: string): Omit<PresentedCertificate, 'unverified'> | string {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(decodeURIComponent(header));
    } catch {
      return `${CERT_HEADER} must be one URL-encoded PEM certificate`;
    }
    const authorities = this.options.authorities;
    if (authorities !== undefined) {
      const issued = authorities.some((ca) => certificate.checkIssued(ca) && certificate.verify(ca.publicKey));
      if (!issued) return 'the client certificate is not issued by an accepted authority';
      if (new Date(certificate.validFrom).getTime() > Date.now()) return 'the client certificate is not yet valid';
    }
    return describeCertificate(certificate);
  }
}

/** The certificates of a PEM bundle. */
export function certificatesOfBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}
