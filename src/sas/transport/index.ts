// The /fhir surface (SPEC §6, issue 7): the CPTS agenda manager the national SAS
// platform queries, as one Fastify plugin registered under the /fhir prefix.
// A transport: it depends on src/sas/resources (mapping) and src/usecases, never the reverse.
// Its own error and not-found handlers answer OperationOutcome, never problem+json.
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../auth/authenticator.js';
import { requireAuthentication } from '../../auth/fastify-authentication.js';
import { registerRateLimit } from '../../auth/client-rate-limit.js';
import { appointmentRoutes } from './appointment-routes.js';
import type { FhirHttpContext } from './context.js';
import { directoryRoutes } from './directory-routes.js';
import { metadataRoute } from './metadata.js';
import { FHIR_JSON_MEDIA_TYPES, refuseXml } from './media-types.js';
import { installOutcomeErrors } from './outcome-errors.js';
import { regulatorRoutes } from './regulator-routes.js';
import { slotRoutes } from './slot-routes.js';

export type { FhirHttpContext } from './context.js';
export { fhirSystems } from './context.js';

export interface FhirPluginOptions {
  fhir: FhirHttpContext;
  authenticator: Authenticator;
  rateLimitPerMinute: number;
}

export async function fhirPlugin(app: FastifyInstance, options: FhirPluginOptions): Promise<void> {
  installOutcomeErrors(app);
  // FHIR clients post application/fhir+json; parse it exactly like JSON (same limits, same prototype-poisoning guard).
  app.addContentTypeParser(FHIR_JSON_MEDIA_TYPES, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  // Only JSON is spoken here: any other media type is a 415.
  app.removeContentTypeParser('text/plain');
  refuseXml(app);
  await metadataRoute(app, options.fhir);
  await app.register(async (secured) => {
    requireAuthentication(secured, options.authenticator);
    await registerRateLimit(secured, options.rateLimitPerMinute);
    await slotRoutes(secured, options.fhir);
    await directoryRoutes(secured, options.fhir);
    await appointmentRoutes(secured, options.fhir);
    await regulatorRoutes(secured, options.fhir);
  });
}
