// Our FHIR base as clients reach it: FHIR_BASE_URL when configured (behind a
// proxy the Host we see is not the public one), else from the request.
import type { FastifyRequest } from 'fastify';

export function fhirBaseUrl(request: FastifyRequest, configured: string | undefined): string {
  if (configured !== undefined) return configured.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}/fhir`;
}

/** The query string exactly as sent: a "+" in an offset must stay a "+" (see src/sas/resources/search-params.ts). */
export function rawQueryOf(request: FastifyRequest): string {
  const url = request.raw.url ?? '';
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}
