// Issue 15's flood bar, the socket flood: upgrades of a client already holding
// WS_MAX_SOCKETS_PER_CLIENT sockets are refused on the server's 'upgrade'
// event, before Fastify (src/server/upgrade-gate.ts): the same 429 problem
// Fastify's preHandler answered, without its request id, hooks or log line per
// refusal; still charged to the client's budget; past 10 a second, held a
// second first (a tarpit). Real sockets on a real service.
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Writable } from 'node:stream';
import pino from 'pino';
import t from 'tap';
import { loggerOptions } from '../src/logging.js';
import { registry } from '../src/observability/metrics.js';
import { migratedDatabase } from './helpers/database.js';
import { tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';
import { registerCertificate, startTlsTestService } from './helpers/tls-service.js';
import { TestSocket } from './helpers/ws-client.js';

interface UpgradeAnswer { status: number; headers: IncomingHttpHeaders; json: any }

/** A WebSocket upgrade request, as a browser or `ws` sends it (over TLS with `tls`); a 101 is closed at once. */
function upgrade(service: { url: string }, path: string, headers: Record<string, string> = {}, tls?: { ca: string; cert?: string; key?: string }): Promise<UpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const request = (tls === undefined ? httpRequest : httpsRequest)(new URL(path, service.url), {
      agent: false, ...tls,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), ...headers },
    });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, json: body === '' ? undefined : JSON.parse(body) }));
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: 101, headers: response.headers, json: undefined });
    });
    request.on('error', reject);
    request.end();
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const randomToken = () => `snp_${randomBytes(32).toString('base64url')}`;
const refusedBeforeRouter = async () => (await registry.getSingleMetric('snp_refused_before_router_total')!.get()).values
  .find((v) => v.labels.reason === 'socket-cap')?.value ?? 0;

t.test('upgrades of a client at its socket cap are refused before Fastify', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const lines: string[] = [];
  const logger = pino(loggerOptions('info'), new Writable({ write(chunk, _encoding, done) { lines.push(chunk.toString()); done(); } }));
  // The default cap (10); a budget of 120 a minute (bursts of 60), for the last subtest to spend.
  const service = await startTestService(t, db.url, { RATE_LIMIT_PER_MINUTE: '120' }, logger);

  await t.test('the 11th upgrade: 429 on the raw socket, no request id; closing one lets a new one in', async (t) => {
    const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
    const open: TestSocket[] = [];
    t.teardown(async () => { for (const s of open) await s.close(); });
    for (let i = 0; i < 10; i++) open.push(await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token));
    const countedBefore = await refusedBeforeRouter();

    const eleventh = await upgrade(service, '/v1/ws/counter', bearer(pharmacist.token));
    t.equal(eleventh.status, 429, 'the 11th: 429');
    t.equal(eleventh.headers['x-request-id'], undefined, 'answered before Fastify (no request id, no hooks run)');
    t.equal(eleventh.headers['retry-after'], '1', 'with Retry-After');
    t.equal(eleventh.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.equal(eleventh.headers.connection, 'close');
    t.same(eleventh.json, {
      type: 'urn:problem:snp-match:too-many-sockets', title: 'Too many sockets', status: 429,
      detail: 'this client already holds 10 sockets (at most 10); close one first',
    }, 'the problem Fastify\'s preHandler answers');
    const viaWs = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token).catch((e) => e);
    t.equal(viaWs.status, 429, 'a ws client sees the 429');
    t.equal(viaWs.body?.type, 'urn:problem:snp-match:too-many-sockets', 'and reads the problem');

    // The token wherever the upgrade accepts it, on every channel: the cap is the client's.
    const byQuery = await upgrade(service, `/v1/ws/counter?after=0&to%6Ben=${pharmacist.token}`);
    t.equal(byQuery.status, 429, '?token= (percent-encoded, as Fastify decodes it): 429');
    t.equal(byQuery.headers['x-request-id'], undefined, 'before Fastify too');
    const otherChannel = await upgrade(service, '/v1/ws/professional', bearer(pharmacist.token));
    t.equal(otherChannel.status, 429, 'another channel: the same cap');
    t.equal(otherChannel.headers['x-request-id'], undefined);
    t.equal(await refusedBeforeRouter() - countedBefore, 4, 'each counted in snp_refused_before_router_total{reason="socket-cap"}');

    // What the gate does not know without a lookup goes to Fastify, as before.
    const unknown = await upgrade(service, '/v1/ws/counter', bearer(randomToken()));
    t.equal(unknown.status, 401, 'an unknown token: 401');
    t.ok(unknown.headers['x-request-id'], 'from Fastify');
    const notAChannel = await upgrade(service, '/v1/bookings', bearer(pharmacist.token));
    // @fastify/websocket upgrades it, then closes it: that route has no socket handler.
    t.equal(notAChannel.status, 101, 'an upgrade of a plain route is not the gate\'s: Fastify has it, as before');
    const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
    const another = await TestSocket.open(service.url, '/v1/ws/counter', regulator.token);
    t.pass('another client, under its cap, opens a socket');
    await another.close();

    await open.shift()!.close();
    let reopened: TestSocket | undefined;
    for (let i = 0; i < 40 && reopened === undefined; i++) {
      reopened = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token).catch(() => undefined);
      if (reopened === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    t.ok(reopened, 'one closed, one may open');
    if (reopened !== undefined) open.push(reopened);
    t.equal((await upgrade(service, '/v1/ws/counter', bearer(pharmacist.token))).status, 429, 'and the next is refused again');

    const logged = lines.filter((line) => line.includes('websocket upgrades refused before the router')).map((line) => JSON.parse(line));
    t.equal(logged.length, 1, 'one log line for the burst of refusals, not one each');
    t.equal(logged[0]?.client, pharmacist.id, 'naming the client');
    t.notOk(lines.join('').includes(pharmacist.token.slice(4)), 'never its token');
  });

  await t.test('a flood of upgrades at the cap: past 10 refusals a second, each is held a second (a tarpit)', async (t) => {
    const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
    const open: TestSocket[] = [];
    t.teardown(async () => { for (const s of open) await s.close(); });
    for (let i = 0; i < 10; i++) open.push(await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token));
    const floodStart = Date.now();
    const flood = await Promise.all(Array.from({ length: 40 }, async () => {
      const sent = Date.now();
      const answer = await upgrade(service, '/v1/ws/counter', bearer(pharmacist.token));
      return { status: answer.status, requestId: answer.headers['x-request-id'], ms: Date.now() - sent };
    }));
    t.ok(flood.every((a) => a.status === 429 && a.requestId === undefined), 'every one a 429 from the gate');
    const held = flood.filter((a) => a.ms >= 950).length;
    // At most a burst of 10 plus 10 a second of the flood's arrivals went at once.
    const freeAtMost = 10 + Math.ceil(10 * (Date.now() - floodStart) / 1000);
    t.ok(held >= 40 - freeAtMost, `no more answered at once than the free refusals allow (${40 - held} ≤ ${freeAtMost})`);
    t.ok(held >= 10, `the rest held about a second (${held} of 40)`);
    const another = await TestSocket.open(service.url, '/v1/ws/counter', (await tokenFor(db.db, 'pharmacist', ['terr-a'])).token);
    t.pass('meanwhile another client opens a socket at once');
    await another.close();
  });

  await t.test('refused upgrades are charged to the client\'s budget, as through Fastify', async (t) => {
    const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
    const open: TestSocket[] = [];
    t.teardown(async () => { for (const s of open) await s.close(); });
    for (let i = 0; i < 10; i++) open.push(await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token));
    let answer: UpgradeAnswer | undefined;
    let capRefusals = 0;
    const began = Date.now();
    for (let i = 0; i < 120; i++) {
      answer = await upgrade(service, '/v1/ws/counter', bearer(pharmacist.token));
      if (answer.json?.type !== 'urn:problem:snp-match:too-many-sockets') break;
      capRefusals++;
    }
    // A burst of 60, 10 spent by the upgrades that opened; 2 a second come back meanwhile
    // (past 10 a second the refusals are held in the tarpit, so the loop lasts seconds).
    const cameBack = Math.ceil(((Date.now() - began) / 1000) * 2);
    t.ok(capRefusals >= 45 && capRefusals <= 50 + cameBack + 1, `${capRefusals} refusals at the cap before the budget ran out (≤ 50 + ${cameBack} given back)`);
    t.equal(answer?.status, 429, 'then still 429');
    t.equal(answer?.json?.type, 'urn:problem:snp-match:rate-limited', 'the budget\'s');
    t.equal(answer?.headers['x-request-id'], undefined, 'before Fastify');
    t.ok(Number(answer?.headers['retry-after']) >= 1, 'with the budget\'s Retry-After');
    // That last answer may have been held in the tarpit (one to two seconds), while the budget
    // gave back 2 a second: a few may pass, but a budget of HTTP's own would pass all 20.
    const viaHttp = await Promise.all(Array.from({ length: 20 }, () => http(service, 'GET', '/v1/bookings', { token: pharmacist.token })));
    const passed = viaHttp.filter((r) => r.status !== 429).length;
    t.ok(passed <= 10 && viaHttp.every((r) => r.status === 429 || r.status === 200),
      `and HTTP draws on the same, spent budget (${passed} of 20 passed: what came back meanwhile)`);
  });

  // Last: it waits for the token cache's freshness (10 s) to pass.
  await t.test('a token the cache no longer holds fresh goes to Fastify, which answers the same problem', async (t) => {
    const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
    const open: TestSocket[] = [];
    t.teardown(async () => { for (const s of open) await s.close(); });
    for (let i = 0; i < 10; i++) open.push(await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token));
    const gated = await upgrade(service, '/v1/ws/counter', bearer(pharmacist.token));
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    const byFastify = await upgrade(service, '/v1/ws/counter', bearer(pharmacist.token));
    t.equal(byFastify.status, 429, 'Fastify refuses it');
    t.ok(byFastify.headers['x-request-id'], 'with its request id (looked up again, not the gate\'s)');
    t.same(gated.json, byFastify.json, 'the gate\'s body is Fastify\'s');
    for (const header of ['content-type', 'retry-after']) t.equal(gated.headers[header], byFastify.headers[header], `and so is its ${header}`);
    const again = await upgrade(service, '/v1/ws/counter', bearer(pharmacist.token));
    t.equal(again.headers['x-request-id'], undefined, 'looked up afresh, the token is the gate\'s again');
  });
});

t.test('with client certificates configured, an upgrade presenting one is Fastify\'s, whatever bearer token comes with it', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const service = await startTlsTestService(t, db.url);
  const { pki } = service;
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  await registerCertificate(db.db, pki.good, 'pharmacist', ['terr-a']);
  const open: TestSocket[] = [];
  t.teardown(async () => { for (const s of open) await s.close(); });
  for (let i = 0; i < 10; i++) open.push(await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token, { tls: { ca: pki.caPem } }));

  const bearerOnly = await upgrade(service, '/v1/ws/counter', bearer(pharmacist.token), { ca: pki.caPem });
  t.equal(bearerOnly.status, 429, 'the bearer client at its cap, no certificate: 429');
  t.equal(bearerOnly.headers['x-request-id'], undefined, 'from the gate, over TLS too');
  // A connection presenting a certificate is authenticated by it alone (a bearer token never rescues nor replaces it).
  const withCertificate = await upgrade(service, '/v1/ws/counter', bearer(pharmacist.token), { ca: pki.caPem, cert: pki.good.certPem, key: pki.good.keyPem });
  t.equal(withCertificate.status, 101, 'the certificate\'s client, under its cap, is upgraded: the gate left it to Fastify');
});
