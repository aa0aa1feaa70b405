// The embedded OpenID provider mounted under /oidc when no external issuer is
// configured: its own endpoints handed the raw request (it is a Koa app and
// reads its bodies itself: this scope parses none), and its login form.
import type { FastifyPluginAsync } from 'fastify';
import { EMBEDDED_PREFIX } from '../auth/oidc/embedded-provider.js';
import type { WebLogin } from '../auth/web-login.js';

const FORM_LIMIT = 4096;

async function readForm(stream: NodeJS.ReadableStream): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of stream) {
    body += chunk.toString();
    if (body.length > FORM_LIMIT) throw Object.assign(new Error('form too large'), { statusCode: 413 });
  }
  return new URLSearchParams(body);
}

export const embeddedOidcRoutes: FastifyPluginAsync<{ web: WebLogin }> = async (app, { web }) => {
  app.removeAllContentTypeParsers();
  // Leave every body unread: the provider (or readForm) reads it.
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  // Registered only without OIDC_ISSUER (src/server/app.ts): there is one.
  const provider = () => web.embedded()!;
  app.get(`${EMBEDDED_PREFIX}/interaction/:uid`, { schema: { hide: true } }, async (request, reply) => {
    reply.hijack();
    await provider().showLogin(request.raw, reply.raw, (request.params as { uid: string }).uid).catch((error: unknown) => fail(reply.raw, error));
  });
  app.post(`${EMBEDDED_PREFIX}/interaction/:uid/login`, { schema: { hide: true } }, async (request, reply) => {
    reply.hijack();
    try {
      await provider().login(request.raw, reply.raw, (request.params as { uid: string }).uid, await readForm(request.raw));
    } catch (error) {
      fail(reply.raw, error);
    }
  });
  app.all(`${EMBEDDED_PREFIX}/*`, { schema: { hide: true } }, async (request, reply) => {
    reply.hijack();
    provider().serve(request.raw, reply.raw);
  });
  app.all(EMBEDDED_PREFIX, { schema: { hide: true } }, async (request, reply) => {
    reply.hijack();
    provider().serve(request.raw, reply.raw);
  });
};

/** A login form that expired (cookie lost, uid unknown): a French page, never a stack trace. */
function fail(res: import('node:http').ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const status = (error as { statusCode?: number }).statusCode ?? 400;
  res.writeHead(status >= 400 && status < 500 ? status : 400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end('<!doctype html><html lang="fr"><meta charset="utf-8"><title>Connexion expirée</title><main><h1>Connexion expirée</h1><p>Cette page de connexion n\'est plus valable. <a href="/app/">Recommencez depuis l\'application</a>.</p></main></html>');
}
