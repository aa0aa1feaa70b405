// Moved to src/auth/client-rate-limit.ts. Kept only for src/http/fhir, which
// is moving to src/sas/transport; delete once it imports src/auth itself.
export { registerRateLimit } from '../../auth/client-rate-limit.js';
