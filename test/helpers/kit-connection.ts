// How the SAS certification kit reaches a CPTS agenda manager: HTTPS, its
// client certificate (IGC-Santé in production, made by the test here), and no
// Authorization header (issue 14). The kit groups' tests send every request
// through a KitClient, so each group runs over real mutual TLS.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { Role } from '../../src/usecases/client.js';
import { registerCertificate, testPki, tlsRequest, type CertificateFiles } from './tls-service.js';

export interface KitAnswer { status: number; headers: Headers; json: any; text: string }
export interface KitRequestOptions { body?: unknown; headers?: Record<string, string> }

/** One request as the kit sends it, and the service's base URL (https://…). */
export type KitClient = ((method: string, path: string, options?: KitRequestOptions) => Promise<KitAnswer>) & { url: string };

/** A client presenting `certificate`, which the kit's client is registered as (`clients create --cert`). */
export async function kitClient(
  db: Kysely<Database>, service: { url: string }, role: Role, territories: string[], certificate: CertificateFiles = testPki().good,
): Promise<KitClient> {
  await registerCertificate(db, certificate, role, territories);
  return connectAs(service, certificate);
}

/** A client presenting an already registered (or unknown) certificate. */
export function connectAs(service: { url: string }, certificate: CertificateFiles): KitClient {
  if (!service.url.startsWith('https://')) throw new Error(`the kit connects over TLS only, not to ${service.url}`);
  const send = async (method: string, path: string, options: KitRequestOptions = {}): Promise<KitAnswer> => {
    const answer = await tlsRequest(service, method, path, { client: certificate, ...options });
    return { status: answer.status, headers: headersOf(answer.headers), json: answer.json, text: answer.text };
  };
  return Object.assign(send, { url: service.url });
}

/**
 * GET `url` as the kit's HTTP client follows a booking link (flux v2): no
 * certificate, no cookie, redirects followed (relative ones resolved); the
 * last answer and the address it came from.
 */
export async function followAsBrowser(url: string, maxHops = 10): Promise<KitAnswer & { url: string }> {
  let at = new URL(url);
  for (let hop = 0; ; hop++) {
    const answer = await tlsRequest({ url: at.origin }, 'GET', at.pathname + at.search, { headers: { accept: 'text/html' } });
    const location = answer.headers.location;
    if (answer.status >= 300 && answer.status < 400 && typeof location === 'string' && hop < maxHops) {
      at = new URL(location, at);
      continue;
    }
    return { status: answer.status, headers: headersOf(answer.headers), json: answer.json, text: answer.text, url: at.href };
  }
}

function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}
