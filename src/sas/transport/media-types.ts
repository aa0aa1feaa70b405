// Content negotiation under /fhir (FHIR R4 http.html#mime-type): we speak JSON
// only, under both its current and its DSTU2 name (application/fhir+json,
// application/json+fhir). A client that asks for XML, by Accept or by
// _format, gets a 406 OperationOutcome rather than JSON it did not ask for;
// other Accept values are served JSON (be liberal in what you accept).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FhirError } from './outcome-errors.js';

export const FHIR_JSON_MEDIA_TYPES = ['application/fhir+json', 'application/json+fhir'];

const JSON_RANGES = new Set([...FHIR_JSON_MEDIA_TYPES, 'application/json', 'application/*', '*/*']);
const XML_RANGES = new Set(['application/fhir+xml', 'application/xml+fhir', 'application/xml', 'text/xml']);
const XML_FORMATS = new Set(['xml', 'text/xml', ...XML_RANGES]);

/** The media ranges of an Accept header with a non-zero quality, lower-cased, parameters dropped. */
function acceptedRanges(accept: string): string[] {
  return accept.split(',').flatMap((part) => {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return range !== '' && (q === undefined || Number(q.slice(2)) > 0) ? [range] : [];
  });
}

function wantsXmlOnly(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const ranges = acceptedRanges(accept);
  return ranges.some((r) => XML_RANGES.has(r)) && !ranges.some((r) => JSON_RANGES.has(r));
}

/** _format as sent (a "+" may arrive as a space when not encoded). */
function formatsOf(request: FastifyRequest): string[] {
  const value = (request.query as Record<string, unknown> | undefined)?._format;
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string').map((v) => v.trim().toLowerCase().replaceAll(' ', '+'));
}

export function refuseXml(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const accept = request.headers.accept;
    if (formatsOf(request).some((f) => XML_FORMATS.has(f)) || wantsXmlOnly(accept)) {
      throw new FhirError(406, [{ code: 'not-supported', diagnostics: `only JSON is served (${FHIR_JSON_MEDIA_TYPES.join(' or ')}); XML is not` }]);
    }
  });
}
