// GET /fhir/metadata: our CapabilityStatement. Public, as FHIR clients expect
// (a client reads it before it has, or to learn how to get, credentials); it
// says what we serve and nothing about any data. Everything else under /fhir
// needs the bearer token.
import type { FastifyInstance } from 'fastify';
import { buildCapabilityStatement } from '../resources/index.js';
import { fhirBaseUrl } from './base-url.js';
import type { FhirHttpContext } from './context.js';
import { sendFhir } from './reply.js';

/** When this statement last changed (issue 7). */
const STATEMENT_DATE = '2026-12-01';

export async function metadataRoute(app: FastifyInstance, fhir: FhirHttpContext): Promise<void> {
  app.get('/metadata', {
    schema: {
      tags: ['fhir'],
      summary: 'CapabilityStatement (instantiates SAS-GestionnaireAgenda-CPTS); no token needed',
      security: [],
    },
  }, async (request, reply) => sendFhir(reply, 200, buildCapabilityStatement({
    baseUrl: fhirBaseUrl(request, fhir.baseUrl), softwareName: 'snp-match', softwareVersion: fhir.softwareVersion, date: STATEMENT_DATE,
  })));
}
