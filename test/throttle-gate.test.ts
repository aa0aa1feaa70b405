// Issue 15's flood bar: once an address has spent its failed-authentication
// budget, its requests are refused before Fastify (src/server/throttle-gate.ts):
// a canned 429 in the transport's wording, held a second first (a tarpit). What must
// still get through from that address: a token that authenticated recently, a
// verified client certificate, the health probes.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { tokenFor, world } from './helpers/fixtures.js';
import { registerCertificate, startTlsTestService, testPki, tlsRequest } from './helpers/tls-service.js';

const pki = testPki();
const randomToken = () => `snp_${randomBytes(32).toString('base64url')}`;

t.test('a throttled address is refused before Fastify; known clients still pass', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  // Ten free refusals a second, not the default hundred: 130 TLS handshakes take
  // a few hundred milliseconds on a loaded machine, in which a hundred a second
  // would refill the free budget and leave nothing for the tarpit to hold. One
  // failure a minute: the address stays throttled through a slow flood (at five,
  // a failure refilled every 12 s, and a loaded CI machine took that long).
  const service = await startTlsTestService(t, db.url, { AUTH_FAILURES_PER_MINUTE: '1', AUTH_TARPIT_FREE_PER_SECOND: '10' });
  // Should the minute pass all the same, the refilled failure is spent by the first try.
  const whileThrottled = async (send: () => ReturnType<typeof tlsRequest>) => {
    const answer = await send();
    return answer.status === 429 ? answer : send();
  };
  const known = await tokenFor(db.db, 'regulator', ['terr-a']);
  await registerCertificate(db.db, pki.good, 'regulator', ['terr-a']);
  t.equal((await tlsRequest(service, 'GET', '/v1/bookings', { token: known.token })).status, 200, 'a legitimate client, seen before the flood');

  const first = await tlsRequest(service, 'GET', '/v1/bookings', { token: randomToken() });
  t.equal(first.status, 401, 'a bad token within the budget: 401 from Fastify');
  t.ok(first.headers['x-request-id'], 'Fastify\'s answers carry x-request-id (what the gate\'s lack)');
  let last = first;
  for (let i = 0; i < 8 && last.status !== 429; i++) last = await tlsRequest(service, 'GET', '/v1/bookings', { token: randomToken() });
  t.equal(last.status, 429, 'the budget spent: 429');

  const asked = Date.now();
  const gated = await tlsRequest(service, 'GET', '/v1/bookings', { token: randomToken() });
  t.equal(gated.status, 429, 'then every bad token: 429');
  t.equal(gated.headers['x-request-id'], undefined, 'answered before Fastify (no request id, no hooks run)');
  t.ok(Date.now() - asked < 900, 'at once while the address sends few');
  // A flood: past 10 refusals a second from the address, each is held a second (a tarpit).
  const floodStart = Date.now();
  const flood = await Promise.all(Array.from({ length: 130 }, async () => {
    const sent = Date.now();
    const answer = await tlsRequest(service, 'GET', '/v1/bookings', { token: randomToken() });
    return { status: answer.status, ms: Date.now() - sent };
  }));
  t.ok(flood.every((a) => a.status === 429), 'a flood: every one 429');
  const held = flood.filter((a) => a.ms >= 950).length;
  t.ok(held >= 20, `past the free refusals, held about a second (${held} of 130)`);
  // At most a burst of 10 plus 10 a second of the flood's arrivals went at once.
  const freeAtMost = 10 + Math.ceil(10 * (Date.now() - floodStart) / 1000);
  t.ok(held >= 130 - freeAtMost, `no more answered at once than the free budget allows (${130 - held} ≤ ${freeAtMost})`);
  t.ok(Number(gated.headers['retry-after']) >= 1, 'with Retry-After');
  t.equal(gated.json.type, 'urn:problem:snp-match:authentication-throttled', 'a problem+json naming the throttle');
  const fhir = await whileThrottled(() => tlsRequest(service, 'GET', '/fhir/Slot?status=free'));
  t.equal(fhir.status, 429, '/fhir too');
  t.equal(fhir.json.resourceType, 'OperationOutcome', 'worded as an OperationOutcome under /fhir');
  t.equal(fhir.json.issue[0].code, 'throttled');

  t.equal((await tlsRequest(service, 'GET', '/healthz')).status, 200, 'health probes pass');
  const knownAsked = Date.now();
  t.equal((await tlsRequest(service, 'GET', '/v1/bookings', { token: known.token })).status, 200, 'the token that authenticated before the flood passes');
  t.ok(Date.now() - knownAsked < 900, 'and is not held');
  t.equal((await tlsRequest(service, 'GET', '/v1/bookings', { client: pki.good })).status, 200, 'a verified, registered client certificate passes');
  const unverified = await whileThrottled(() => tlsRequest(service, 'GET', '/v1/bookings', { client: pki.otherCa }));
  t.equal(unverified.status, 429, 'a certificate the TLS stack did not verify does not');
  t.equal(unverified.headers['x-request-id'], undefined, 'refused at the gate too');
  // Past the token cache's 10 s freshness it is looked up again, uncharged: still not locked out.
  await new Promise((resolve) => setTimeout(resolve, 10_500));
  t.equal((await tlsRequest(service, 'GET', '/v1/bookings', { token: known.token })).status, 200, 'and still passes once its cache entry is stale');
});
