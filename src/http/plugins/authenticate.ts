// Moved to src/auth/fastify-authentication.ts. Kept only for src/http/fhir,
// which is moving to src/sas/transport; delete once it imports src/auth itself.
export { clientOf, requireAuthentication } from '../../auth/fastify-authentication.js';
