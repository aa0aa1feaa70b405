// The application as one Fastify plugin: server-wide concerns (errors, metrics,
// security headers, API docs, health), then the three transports — the /v1
// REST routes, the WebSocket channels, the /fhir surface. The only place that
// knows them all; they never import one another.
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth/authenticator.js';
import { ClientBudget } from '../auth/client-budget.js';
import { registerRateLimit } from '../auth/client-rate-limit.js';
import { requireAuthentication } from '../auth/fastify-authentication.js';
import type { CertificateCredentials } from '../auth/certificate-authentication.js';
import { installErrorHandling } from '../http/error-handler.js';
import { fhirPlugin, type FhirHttpContext } from '../sas/transport/index.js';
import { v1Routes } from '../http/v1-routes.js';
import { loginRoutes } from '../http/web/login-routes.js';
import { peopleRoutes } from '../http/routes/people.js';
import { shellRoutes } from '../http/web/shell-routes.js';
import { readCookie } from '../auth/session/session-cookie.js';
import type { WebLogin } from '../auth/web-login.js';
import { embeddedOidcRoutes } from './embedded-oidc-routes.js';
import { webAssets } from './web-bundle.js';
import { installHttpMetrics } from '../observability/http-metrics.js';
import type { Readiness } from '../readiness.js';
import type { UseCaseContext } from '../usecases/context.js';
import type { WsHub } from '../ws/hub.js';
import { channelRoutes, websocketOptions } from '../ws/plugin.js';
import { registerApiDocs } from './api-docs.js';
import { addSecurityHeaders } from './plugins/security-headers.js';
import { healthRoutes } from './health-routes.js';
import { fhirRefusal } from './refusal-wordings.js';
import type { RefusalWordings } from './refusals.js';

export interface AppContext {
  readiness: Readiness;
  authenticator: Authenticator;
  useCases: UseCaseContext;
  /** Requests per minute per API client (default 3000). */
  rateLimitPerMinute?: number;
  /** The per-client budget every transport charges (the WebSocket hub's too); default: one of rateLimitPerMinute. */
  clientBudget?: ClientBudget;
  /** Days ahead a new on-call band is materialised (default 14). */
  materialiseDays?: number;
  /** The /fhir surface (SAS IG); absent: not served. */
  fhir?: FhirHttpContext;
  /** Client certificates (mutual TLS, or a trusted proxy's header); absent: bearer tokens only. */
  clientCertificates?: CertificateCredentials;
  /** The WebSocket channels under /v1/ws (issue 6); absent: not served. */
  ws?: WsHub;
  /** People's login and sessions: the web app under /app and, without OIDC_ISSUER, the embedded provider under /oidc; absent: neither. */
  web?: WebLogin;
}

export async function registerApp(app: FastifyInstance, context: AppContext, refusals: RefusalWordings): Promise<void> {
  // problem+json for everything outside /fhir (which has its own handlers).
  installErrorHandling(app);
  // Latency per route and the booking/hold counters, for every route including /fhir and 404s.
  installHttpMetrics(app);
  // The API serves JSON only; the strict defaults of helmet fit, except the docs UI needs its inline assets.
  addSecurityHeaders(app);
  await registerApiDocs(app);
  await app.register(healthRoutes, { readiness: context.readiness });
  const rateLimitPerMinute = context.rateLimitPerMinute ?? 3000;
  // One budget per client for /v1, /fhir and the sockets alike: every scope's rate limit finds it here.
  // Every authenticated scope (/v1, the upgrades, /fhir) finds the certificate credentials here.
  if (context.clientCertificates !== undefined) app.decorate('clientCertificates', context.clientCertificates);
  app.decorate('clientBudget', context.clientBudget ?? new ClientBudget(rateLimitPerMinute));
  // Before the /v1 scope: its hooks must see the upgrade before authentication refuses it.
  if (context.ws !== undefined) await app.register(websocket, websocketOptions(context.ws));
  // One /v1 scope for REST and WebSocket alike: the same authentication, and
  // the one budget a client's requests, upgrades and socket messages share.
  await app.register(async (v1) => {
    requireAuthentication(v1, context.authenticator, context.web);
    // Before the routes: it hooks every route registered after it in this scope.
    await registerRateLimit(v1, rateLimitPerMinute);
    await v1.register(v1Routes, { ctx: context.useCases, materialiseDays: context.materialiseDays ?? 14 });
    if (context.web !== undefined) await v1.register(peopleRoutes, { people: context.web.people });
    // Auth and rate limit run on the upgrade request.
    if (context.ws !== undefined) await v1.register(channelRoutes, { hub: context.ws });
  });
  if (context.web !== undefined) {
    await app.register(loginRoutes, { web: context.web });
    const web = context.web;
    await app.register(shellRoutes, {
      assets: webAssets,
      signedIn: async (request) => {
        const id = readCookie(request.headers.cookie, web.cookie().name);
        return id !== undefined && (await web.store.find(id)) !== null;
      },
    });
    if (context.web.usesEmbeddedProvider) await app.register(embeddedOidcRoutes, { web: context.web });
  }
  // Its own scope: bearer auth (but for /fhir/metadata) and OperationOutcome errors.
  if (context.fhir !== undefined) {
    refusals.register('/fhir', fhirRefusal);
    await app.register(fhirPlugin, { prefix: '/fhir', fhir: context.fhir, authenticator: context.authenticator, rateLimitPerMinute });
  }
}
