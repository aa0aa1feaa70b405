// The security headers (src/server/plugins/security-headers.ts) are exactly
// those @fastify/helmet sets with the service's options, and every kind of
// answer carries them: a success, a refusal before the route (401), a 404 of an
// unknown path, a 400 of a bad body, and the health routes.
import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import t from 'tap';
import { HELMET_OPTIONS, SECURITY_HEADERS } from '../src/server/plugins/security-headers.js';
import { migratedDatabase } from './helpers/database.js';
import { tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

const NOT_SECURITY = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

t.test('the constant list is what @fastify/helmet sets with the same options', async (t) => {
  const app = Fastify();
  await app.register(helmet, { ...HELMET_OPTIONS, global: true });
  app.get('/', async () => ({ ok: true }));
  const answer = await app.inject('/');
  const fromHelmet = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !NOT_SECURITY.has(name)));
  t.same(fromHelmet, SECURITY_HEADERS);
  t.ok(Object.keys(SECURITY_HEADERS).length >= 10, 'the list is not empty');
  await app.close();
});

t.test('every kind of answer of the service carries them', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const service = await startTestService(t, db.url);
  const answers = {
    match: await http(service, 'POST', '/v1/match', { token: regulator.token, body: { territory: 'terr-a' } }),
    unauthenticated: await http(service, 'POST', '/v1/match', { body: { territory: 'terr-a' } }),
    badBody: await http(service, 'POST', '/v1/match', { token: regulator.token, body: { territory: 'terr-a', limit: 0 } }),
    unknownPath: await http(service, 'GET', '/v1/nothing-here', { token: regulator.token }),
    health: await http(service, 'GET', '/healthz'),
  };
  t.same(Object.fromEntries(Object.entries(answers).map(([k, a]) => [k, a.status])), { match: 200, unauthenticated: 401, badBody: 400, unknownPath: 404, health: 200 });
  for (const [kind, answer] of Object.entries(answers)) {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) t.equal(answer.headers.get(name), value, `${kind}: ${name}`);
    t.ok(answer.headers.get('x-request-id'), `${kind}: x-request-id`);
  }
});
