// The OpenAPI document (/docs/json) against the service itself: every route the
// router serves is documented and every documented operation is served; each
// operation's security says whether a token is needed; and a probe of every
// operation (no token, a refused one, each role, malformed, foreign and
// oversized bodies, known and unknown ids) only ever gets a status the
// operation documents. test/fuzz-http.test.ts checks the same of its hostile inputs.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import t from 'tap';
import { createClient, revokeClient } from '../src/auth/clients.js';
import { migratedDatabase } from './helpers/database.js';
import { addBooking, addHold, addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { documentedOperations, documentedStatuses, registeredRoutes } from './helpers/registered-routes.js';
import { http, startTestService } from './helpers/service.js';

/** Served, but not operations of the document: the docs themselves, and the WebSocket channels (named in its description). */
// Not API operations: the docs, the sockets, the web app's pages and login (/app) and the embedded OpenID provider (/oidc).
const NOT_OPERATIONS = /^(GET \/(docs($|\/)|v1\/ws\/)|[A-Z]+ \/(app|oidc)($|\/|\*))/;
const PUBLIC = ['GET /healthz', 'GET /readyz', 'GET /fhir/metadata'];

t.test('the OpenAPI document matches the routes, their security and the statuses they answer', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  await sql`update territories set organisation_identifier = case id when 'terr-a' then '1690000010' else '1170000012' end`.execute(db.db);
  const pro = w.a.pros[0]!;
  const slots = await addSlots(db.db, pro, { start: soon(), count: 6 });
  const roles = {
    regulator: await tokenFor(db.db, 'regulator', ['terr-a']), pharmacist: await tokenFor(db.db, 'pharmacist', ['terr-a']),
    coordinator: await tokenFor(db.db, 'coordinator', ['terr-a']), professional: await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps),
  };
  const booking = await addBooking(db.db, { slotId: slots[0]!, clientId: roles.regulator.id });
  const hold = await addHold(db.db, { slotId: slots[1]!, clientId: roles.regulator.id });
  const revoked = await createClient(db.db, { role: 'regulator', territories: ['terr-a'] });
  await revokeClient(db.db, revoked.id);
  const bodyLimit = 4096;
  const service = await startTestService(t, db.url, { BODY_LIMIT_BYTES: String(bodyLimit) });

  const docs = await http(service, 'GET', '/docs/json');
  t.equal(docs.status, 200);
  const document = docs.json;
  const served = registeredRoutes(service.server);
  const operations = documentedOperations(document);
  t.same(served.filter((r) => !NOT_OPERATIONS.test(r)), operations, 'every route served is documented, and every operation documented is served');
  for (const socket of served.filter((r) => r.startsWith('GET /v1/ws/'))) {
    t.match(document.info.description, socket.slice(4), `the description names the WebSocket channel ${socket}`);
  }

  const known: Record<string, string> = {
    '/v1/holds/{id}': hold, '/v1/bookings/{id}': booking, '/v1/admin/professionals/{id}': pro.id, '/v1/admin/slots/{id}': slots[2]!,
    '/v1/territories/{id}': 'terr-a', '/fhir/Slot/{id}': slots[3]!, '/fhir/Schedule/{id}': `${pro.id}-${pro.siteId}`,
  };
  const fill = (path: string, value: 'known' | 'unknown' | 'malformed' | 'badly encoded' | 'too long') => path.replace(/\{id\}/, () => {
    if (value === 'unknown') return randomUUID();
    if (value === 'malformed') return 'not-an-id';
    if (value === 'badly encoded') return 'x%';
    if (value === 'too long') return 'a'.repeat(120); // over Fastify's maxParamLength
    return Object.entries(known).find(([prefix]) => path.startsWith(prefix))?.[1] ?? randomUUID();
  });

  const undocumented = new Map<string, string>(); // "operation status" → the first request that got it
  const observed = new Map<string, Set<number>>();
  /** One request; a raw body keeps the content type given (the http helper would make it JSON). */
  const probe = async (operation: string, path: string, options: { token?: string; body?: unknown; raw?: { body: string; contentType: string } }) => {
    const [method] = operation.split(' ') as [string];
    const answer = options.raw === undefined ? await http(service, method, path, options) : await fetch(service.url + path, {
      method, body: options.raw.body,
      headers: { 'content-type': options.raw.contentType, ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}) },
    }).then(async (response) => ({ status: response.status, text: await response.text() }));
    const template = operation.slice(method.length + 1);
    (observed.get(operation) ?? observed.set(operation, new Set()).get(operation)!).add(answer.status);
    const key = `${operation} ${answer.status}`;
    if (!documentedStatuses(document, method, template).includes(answer.status) && !undocumented.has(key)) {
      undocumented.set(key, `${key}, e.g. to ${path} ${JSON.stringify(options).slice(0, 100)}: ${answer.text.slice(0, 160)}`);
    }
    return answer;
  };

  for (const operation of operations) {
    const [method, template] = operation.split(' ') as [string, string];
    const item = document.paths[template][method.toLowerCase()];
    const isPublic = PUBLIC.includes(operation);
    t.same(item.security, isPublic ? [] : [{ bearer: [] }], `${operation}: ${isPublic ? 'public' : 'bearer token'} in the document`);
    const withBody = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);
    const path = fill(template, 'known');
    const anonymous = await probe(operation, path, {});
    await probe(operation, `${path}?${'q'.repeat(20_000)}=1`, {}); // over Node's header limit
    if (isPublic) t.not(anonymous.status, 401, `${operation} answers without a token`);
    else t.equal(anonymous.status, 401, `${operation} refuses a request without a token`);
    if (isPublic) continue;
    await probe(operation, path, { token: revoked.token });
    for (const value of ['known', 'unknown', 'malformed', 'badly encoded', 'too long'] as const) {
      for (const { token } of Object.values(roles)) await probe(operation, fill(template, value), { token, ...(withBody ? { body: {} } : {}) });
    }
    if (!withBody) continue;
    const token = roles.coordinator.token;
    await probe(operation, path, { token, raw: { body: '{"not json', contentType: 'application/json' } });
    await probe(operation, path, { token, raw: { body: '<a/>', contentType: 'application/xml' } });
    await probe(operation, path, { token, raw: { body: JSON.stringify({ padding: 'x'.repeat(bodyLimit) }), contentType: 'application/json' } });
  }
  // An oversized request's socket lingers 2 s after its 431 (src/server/client-errors.ts): let the last ones close.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  t.same([...undocumented.values()], [], 'every status the probe saw is documented for its operation');
  t.comment([...observed].map(([op, statuses]) => `${op}: ${[...statuses].sort().join(' ')}`).join('\n'));
  t.ok(observed.get('POST /v1/match')?.has(413) && observed.get('POST /v1/match')?.has(415), 'the probe reached the body limits (413, 415)');
  t.ok(observed.get('POST /fhir/Appointment')?.has(400), 'and the FHIR body parsing (400)');
  t.ok(observed.get('GET /fhir/Slot/{id}')?.has(400) && observed.get('GET /fhir/Slot/{id}')?.has(414), 'and the path parameter checks (400, 414)');
});
