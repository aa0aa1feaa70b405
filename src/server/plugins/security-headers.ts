// The security headers of every answer: what @fastify/helmet sets with the
// options the service used (`contentSecurityPolicy: false`: the docs UI needs its
// inline assets), written once as a constant and added by one synchronous hook.
// helmet computed the same headers on every request through two hooks (one
// async) and eleven `setHeader` calls on the raw response; here they join the
// reply's own headers and are written with them. test/security-headers.test.ts
// compares this list with what @fastify/helmet gives, so an upgrade that
// changes its defaults is noticed.
import type { FastifyInstance } from 'fastify';

export const HELMET_OPTIONS = { contentSecurityPolicy: false } as const;

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });
}
