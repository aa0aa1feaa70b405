// The web app's login and session routes: /app/auth/login starts the OpenID
// Connect flow, /app/auth/callback finishes it and opens a session (cookie),
// /app/auth/logout ends it, /app/api/session tells the pages who is logged in
// (with the CSRF token their unsafe requests send). Failures of a login end on
// the French error page (/app/erreur?code=…), never on a raw problem.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LoginFailed } from '../../auth/oidc/relying-party.js';
import { authenticateSession, CSRF_HEADER } from '../../auth/session/session-authentication.js';
import { readCookie, serializeCookie } from '../../auth/session/session-cookie.js';
import type { WebLogin } from '../../auth/web-login.js';
import { ApiProblem } from '../../usecases/problem.js';

const LOGIN_COOKIE = 'snp_login';
const LOGIN_COOKIE_SECONDS = 600;

// Only our own pages: no scheme, no host, no `//` (an open redirect otherwise).
const returnPath = z.string().max(500).regex(/^\/app\/(?!\/)[A-Za-z0-9/_?=&.%-]*$/).catch('/app/');

function loginCookieName(web: WebLogin): string {
  return web.cookie().secure ? `__Host-${LOGIN_COOKIE}` : LOGIN_COOKIE;
}

function errorPage(reply: FastifyReply, code: string): FastifyReply {
  return reply.redirect(`/app/erreur?code=${encodeURIComponent(code)}`, 303);
}

function noSession(): ApiProblem {
  return new ApiProblem(401, 'unauthenticated', 'Unauthenticated', 'no live session; log in at /app/auth/login');
}

function sessionCookie(request: FastifyRequest): string | undefined {
  return request.headers.cookie;
}

export const loginRoutes: FastifyPluginAsync<{ web: WebLogin }> = async (app, { web }) => {
  app.get('/app/auth/login', { schema: { hide: true } }, async (request, reply) => {
    const returnTo = returnPath.parse((request.query as Record<string, unknown>).next);
    let started;
    try {
      started = await web.relyingParty().start(returnTo);
    } catch (error) {
      request.log.error({ err: error }, 'OpenID provider unreachable');
      return errorPage(reply, 'fournisseur-indisponible');
    }
    reply.header('set-cookie', serializeCookie({ name: loginCookieName(web), secure: web.cookie().secure }, started.state, LOGIN_COOKIE_SECONDS));
    reply.header('cache-control', 'no-store');
    return reply.redirect(started.url.href, 302);
  });

  app.get('/app/auth/callback', { schema: { hide: true } }, async (request, reply) => {
    const cookieName = loginCookieName(web);
    const clearLogin = serializeCookie({ name: cookieName, secure: web.cookie().secure }, '', 0);
    reply.header('cache-control', 'no-store');
    let finished;
    try {
      finished = await web.relyingParty().finish(new URL(request.url, web.publicBaseUrl), readCookie(request.headers.cookie, cookieName));
    } catch (error) {
      request.log.info({ err: (error as Error).message }, 'login refused');
      reply.header('set-cookie', clearLogin);
      return errorPage(reply, error instanceof LoginFailed ? 'connexion-expiree' : 'connexion-refusee');
    }
    const person = await web.findPerson(finished.identity.login);
    if (person === null) {
      // The provider knows this person, we do not (or not any more): a coordinator must add them.
      request.log.info('login of a person with no account here');
      reply.header('set-cookie', clearLogin);
      return errorPage(reply, 'compte-inconnu');
    }
    const session = await web.store.create(person.id);
    reply.header('set-cookie', [clearLogin, serializeCookie(web.cookie(), session.id, (session.expiresAt.getTime() - Date.now()) / 1000)]);
    return reply.redirect(finished.returnTo, 303);
  });

  app.post('/app/auth/logout', { schema: { hide: true } }, async (request, reply) => {
    const csrf = request.headers[CSRF_HEADER];
    // The same checks as any unsafe request with the cookie: our Origin and the CSRF token.
    const person = await authenticateSession(web, {
      method: 'POST', cookie: sessionCookie(request), origin: request.headers.origin, csrfToken: typeof csrf === 'string' ? csrf : undefined, upgrade: false,
    }).catch((error: unknown) => {
      if (error instanceof ApiProblem && error.body.status === 401) return null;
      throw error;
    });
    const id = readCookie(request.headers.cookie, web.cookie().name);
    if (person !== null && id !== undefined) await web.store.end(id);
    reply.header('set-cookie', serializeCookie(web.cookie(), '', 0));
    return reply.code(204).send();
  });

  app.get('/app/api/session', { schema: { hide: true } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const id = readCookie(request.headers.cookie, web.cookie().name);
    const session = id === undefined ? null : await web.store.find(id);
    if (session === null) throw noSession();
    const { client } = session;
    return {
      name: client.name, role: client.role, territories: client.territories, rpps: client.rpps,
      csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString(), idleExpiresAt: session.idleExpiresAt.toISOString(),
    };
  });
};
