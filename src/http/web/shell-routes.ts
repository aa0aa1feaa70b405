// The web app's shell: one HTML page for every /app/… address (the pages route
// on the client), and its bundled assets. A strict Content-Security-Policy:
// our own script, style and sockets only, never framed.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ApiProblem } from '../../usecases/problem.js';

export interface ShellAsset { body: Buffer; type: string }

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const INDEX = `<!doctype html>
<html lang="fr" data-theme="light"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>SNP — CPTS</title><link rel="stylesheet" href="/app/assets/app.css"><script type="module" src="/app/assets/app.js"></script>
</head><body><div id="app"><main><p>Chargement…</p><noscript>Cette application a besoin de JavaScript.</noscript></main></div></body></html>`;

export interface ShellOptions {
  assets: () => Promise<Map<string, ShellAsset>>;
  /** Whether the request carries a live session (the booking link sends a stranger to the login first). */
  signedIn?: (request: FastifyRequest) => Promise<boolean>;
}

export const shellRoutes: FastifyPluginAsync<ShellOptions> = async (app, { assets, signedIn }) => {
  const page = async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply.header('content-security-policy', CSP).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(INDEX);
  app.get('/app', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/', 301));
  app.get('/app/', { schema: { hide: true } }, page);
  app.get('/app/*', { schema: { hide: true } }, page);
  // The SAS's booking link (Slot.comment, flux v2): without a session, straight to the
  // login, from the server (the SAS's checks read the HTML it gets), then back here.
  app.get('/app/regulation', { schema: { hide: true } }, async (request, reply) => {
    if (signedIn !== undefined && !(await signedIn(request))) {
      return reply.header('cache-control', 'no-store').redirect(`/app/auth/login?next=${encodeURIComponent(request.url)}`, 302);
    }
    return page(request, reply);
  });
  app.get('/app/assets/:file', { schema: { hide: true } }, async (request, reply) => {
    const asset = (await assets()).get((request.params as { file: string }).file);
    if (asset === undefined) throw new ApiProblem(404, 'not-found', 'Not found', 'no such asset');
    return reply.header('cache-control', 'no-cache').type(asset.type).send(asset.body);
  });
};
