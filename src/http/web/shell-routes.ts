// The web app's shell: one HTML page for every /app/… address (the pages route
// on the client), and its bundled assets. A strict Content-Security-Policy:
// our own script, style and sockets only, never framed.
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ApiProblem } from '../../usecases/problem.js';

type Encoding = 'br' | 'gzip';
/** An asset with its ETag's opaque part and its compressed forms, made once (src/server/web-compression.ts). */
export interface ShellAsset { body: Buffer; type: string; tag: string; encoded: Partial<Record<Encoding, Buffer>> }

// Brotli first (smaller), then gzip; `identity` when the client takes neither. A cache of the few Accept-Encoding values browsers send.
const encodings = new Negotiator({ supportedValues: ['br', 'gzip'], cache: new Map() });

/** Whether If-None-Match names this ETag (weak comparison, RFC 9110 §13.1.2). */
function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => { const t = tag.trim(); return t === '*' || t.replace(/^W\//, '') === etag; });
}

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
    // Compressed once at bundling; chosen here by Accept-Encoding. Each encoding is its own representation, with its own ETag;
    // no-cache: a browser revalidates (a 304 without a body) so a new version is picked up at once.
    const accepted = encodings.negotiate(request.headers['accept-encoding'] ?? '') as Encoding | null;
    const encoding = accepted !== null && asset.encoded[accepted] !== undefined ? accepted : null;
    const etag = `"${asset.tag}${encoding === null ? '' : `-${encoding}`}"`;
    reply.header('cache-control', 'no-cache').header('vary', 'accept-encoding').header('etag', etag).type(asset.type);
    if (notModified(request.headers['if-none-match'], etag)) return reply.code(304).send();
    if (encoding === null) return reply.send(asset.body);
    return reply.header('content-encoding', encoding).send(asset.encoded[encoding]);
  });
};
