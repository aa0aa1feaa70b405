// The Fastify side of mutual TLS: the certificate a request's connection
// presented (or, from a configured proxy, its X-SSL-Client-Cert header)
// authenticates the request. A connection presenting a certificate is
// authenticated by it alone: a refused certificate is a 401 (OperationOutcome
// under /fhir), whatever bearer token comes with it, and counts as a failed
// authentication of the source address.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthenticatedClient } from '../usecases/client.js';
import { ApiProblem } from '../usecases/problem.js';
import type { Authenticator } from './authenticator.js';
import type { CertificateAuthenticator } from './certificate-authenticator.js';
import type { CertificateProxy } from './certificate-proxy.js';
import { certificateOfConnection, type PresentedCertificate } from './client-certificate.js';

export interface CertificateCredentials {
  certificates: CertificateAuthenticator;
  proxy: CertificateProxy;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Decorated on the root by the composition root when mutual TLS or a certificate proxy is configured. */
    clientCertificates?: CertificateCredentials;
  }
}

function certificateRefused(detail: string): ApiProblem {
  return new ApiProblem(401, 'unauthenticated', 'Unauthenticated', detail, {}, { 'www-authenticate': 'Bearer' });
}

function throttled(retryAfterSeconds: number): ApiProblem {
  return new ApiProblem(429, 'authentication-throttled', 'Too many failed authentications',
    `too many failed authentications from this address; retry in ${retryAfterSeconds} s`, {}, { 'retry-after': String(retryAfterSeconds) });
}

/** The request's certificate: its own TLS connection's, else a trusted proxy's header; null: none; a string: why the header is refused. */
function presentedBy(request: FastifyRequest, credentials: CertificateCredentials): PresentedCertificate | string | null {
  const own = certificateOfConnection(request.raw.socket);
  if (own !== null) return own;
  const forwarded = credentials.proxy.read(request.headers, request.raw.socket.remoteAddress);
  return forwarded !== null && 'refused' in forwarded ? forwarded.refused : forwarded;
}

/** The client of the request's certificate; undefined when it presents none (bearer authentication applies). */
export async function authenticateByCertificate(scope: FastifyInstance, request: FastifyRequest,
  authenticator: Pick<Authenticator, 'chargeFailure'>): Promise<AuthenticatedClient | undefined> {
  const credentials = scope.clientCertificates;
  if (credentials === undefined) return undefined;
  const presented = presentedBy(request, credentials);
  if (presented === null) return undefined;
  const result = typeof presented === 'string' ? { refused: presented } : await credentials.certificates.authenticate(presented);
  if (!('refused' in result)) return result;
  const limited = authenticator.chargeFailure(request.ip);
  throw limited === undefined ? certificateRefused(result.refused) : throttled(limited.retryAfterSeconds);
}
