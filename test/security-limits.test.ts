// Issue 15, findings 2, 3 and 4, replayed: limits per socket instead of per
// client, failed authentication never limited (each wrong token a database
// lookup), and a token in a percent-encoded query parameter accepted on any
// route and logged in clear. Each attack must now fail safely.
import { Writable } from 'node:stream';
import pino from 'pino';
import t from 'tap';
import WebSocket from 'ws';
import { LruMap } from '../src/auth/lru-map.js';
import { TokenBuckets } from '../src/auth/token-buckets.js';
import { loggerOptions, redactUrl } from '../src/logging.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

const randomToken = () => `snp_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;

t.test('the caches and budgets are bounded and evict the least recently used, never all at once', async (t) => {
  const lru = new LruMap<string, number>(3);
  lru.set('a', 1); lru.set('b', 2); lru.set('c', 3);
  lru.get('a');
  lru.set('d', 4);
  t.same([lru.get('a'), lru.get('b'), lru.get('c'), lru.get('d')], [1, undefined, 3, 4], 'b, the least recently used, went; a, just read, stayed');
  for (let i = 0; i < 10_000; i++) lru.set(`flood-${i}`, i);
  t.equal(lru.size, 3, 'a flood leaves it at its bound');

  let now = 0;
  const buckets = new TokenBuckets(60, 2, () => now);
  t.ok(Array.from({ length: 60 }, () => buckets.take('x')).every((wait) => wait === undefined), '60 in a minute');
  t.equal(buckets.take('x'), 1, 'the 61st in a minute waits a second');
  now += 1_000;
  t.equal(buckets.take('x'), undefined, 'one a second comes back');
  buckets.take('y'); buckets.take('z');
  t.equal(buckets.peek('x'), undefined, 'x, forgotten past the bound of 2 keys, starts afresh');
});

t.test('a URL is logged with its credentials redacted, whatever their encoding', async (t) => {
  const token = randomToken();
  for (const url of [`/v1/ws/counter?token=${token}`, `/v1/bookings?to%6Ben=${token}`, `/v1/x?TOKEN=${token}`, `/v1/x?a=${token.replace('_', '%5F')}`,
    `/v1/x/${token}?after=1`, `/v1/x?${token}`, `/v1/x?after=1&%E0%A4%A=2&token=${token}`]) {
    const logged = redactUrl(url);
    t.notOk(logged.includes(token.slice(4)), logged);
  }
  t.equal(redactUrl('/v1/ws/professional?after=3&territory=terr-a'), '/v1/ws/professional?after=3&territory=terr-a', 'the rest is left alone');
});

t.test('limits per client and per address', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 4 });
  const lines: string[] = [];
  const logger = pino(loggerOptions('info'), new Writable({ write(chunk, _encoding, done) { lines.push(chunk.toString()); done(); } }));
  const service = await startTestService(t, db.url, { RATE_LIMIT_PER_MINUTE: '30', WS_MAX_SOCKETS_PER_CLIENT: '3', AUTH_FAILURES_PER_MINUTE: '20' }, logger);
  await service.sync.catchUp();

  await t.test('one budget per client: socket messages, HTTP and FHIR draw from it together', async (t) => {
    const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
    const socket = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token);
    t.teardown(() => socket.close());
    await socket.waitFor((m) => m.type === 'ready');
    let ok = 0;
    let refused: any;
    for (let i = 0; i < 40 && refused === undefined; i++) {
      // A refusal before the message is read answers with id null: take the next answer, whichever.
      const before = socket.messages.length;
      socket.send({ id: i, type: 'match', body: { territory: 'terr-a' } });
      const answer = await socket.waitFor((m) => typeof m.ok === 'boolean' && socket.messages.indexOf(m) >= before);
      if (answer.ok === true) ok++;
      else refused = answer;
    }
    t.ok(ok >= 25 && ok <= 35, `${ok} messages served (budget 30 a minute, the upgrade included)`);
    t.equal(refused?.error?.status, 429, 'then a 429 on the socket');
    t.match(refused?.error?.detail, /HTTP, FHIR and WebSocket together/);
    const viaHttp = await http(service, 'GET', '/v1/bookings', { token: pharmacist.token });
    t.equal(viaHttp.status, 429, 'and over HTTP: the same budget');
    t.ok(Number(viaHttp.headers.get('retry-after')) >= 1, 'with Retry-After');

    const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
    // Until HTTP is refused (the bucket refills one every 2 s meanwhile), then FHIR at once.
    for (let i = 0; i < 40; i++) if ((await http(service, 'GET', '/v1/bookings', { token: regulator.token })).status === 429) break;
    const fhir = await http(service, 'GET', '/fhir/Slot?status=free', { token: regulator.token });
    t.equal(fhir.status, 429, 'HTTP spent the budget FHIR draws from');
    t.equal(fhir.json?.resourceType, 'OperationOutcome', 'worded as FHIR');
    const upgrade = await TestSocket.open(service.url, '/v1/ws/counter', regulator.token).catch((e) => e);
    t.equal(upgrade.status, 429, 'and an upgrade is refused');
  });

  await t.test('a cap on the sockets one client holds: beyond, the upgrade is a 429 problem', async (t) => {
    const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
    const open: TestSocket[] = [];
    for (let i = 0; i < 3; i++) open.push(await TestSocket.open(service.url, '/v1/ws/counter', regulator.token));
    t.teardown(async () => { for (const s of open) await s.close(); });
    const fourth = await TestSocket.open(service.url, '/v1/ws/counter', regulator.token).catch((e) => e);
    t.equal(fourth.status, 429, 'the fourth socket: 429');
    t.equal(fourth.body?.type, 'urn:problem:snp-match:too-many-sockets');
    await open.shift()!.close();
    let reopened: TestSocket | undefined;
    for (let i = 0; i < 20 && reopened === undefined; i++) {
      reopened = await TestSocket.open(service.url, '/v1/ws/counter', regulator.token).catch(() => undefined);
      if (reopened === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    t.ok(reopened, 'one closed, one may open');
    if (reopened !== undefined) open.push(reopened);
  });

  await t.test('a token only where it belongs: ?token= on upgrades only, percent-encoded or not; never logged', async (t) => {
    const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
    const encoded = await http(service, 'GET', `/v1/bookings?to%6Ben=${regulator.token}`);
    t.equal(encoded.status, 400, '?to%6Ben= on a plain request: 400');
    t.equal(encoded.json?.type, 'urn:problem:snp-match:credential-in-url');
    t.equal((await http(service, 'GET', `/v1/bookings?token=${regulator.token}`)).status, 400, '?token= on a plain request: 400');
    t.equal((await http(service, 'GET', `/v1/bookings?token=${regulator.token}`, { token: regulator.token })).status, 400, 'even beside a header');
    const fhir = await http(service, 'GET', `/fhir/Slot?to%6Ben=${regulator.token}`);
    t.equal(fhir.status, 400, 'under /fhir too');
    t.equal(fhir.json?.resourceType, 'OperationOutcome');
    // A browser's upgrade, as a browser would encode it: accepted there only.
    const socket = new WebSocket(`${service.url.replace(/^http/, 'ws')}/v1/ws/counter?to%6Ben=${regulator.token}`);
    const opened = await new Promise<boolean>((resolve) => { socket.once('open', () => resolve(true)); socket.once('error', () => resolve(false)); });
    t.ok(opened, 'the upgrade with the token in its query opens');
    socket.close();
    const logged = lines.join('');
    t.ok(logged.includes('/v1/bookings?to%6Ben=[redacted]'), 'the request is logged, its token redacted');
    t.notOk(logged.includes(regulator.token.slice(4)), 'the token appears nowhere in the log');
  });

  // Last: it exhausts the failure budget of this test's only address.
  await t.test('failed authentication is throttled per address before any lookup; a recently good token still works', async (t) => {
    const known = await tokenFor(db.db, 'regulator', ['terr-a']);
    const fresh = await tokenFor(db.db, 'regulator', ['terr-a']);
    t.equal((await http(service, 'GET', '/v1/bookings', { token: known.token })).status, 200, 'a legitimate client, seen before the flood');
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 40; i++) {
      last = await http(service, 'GET', '/v1/bookings', { token: randomToken() });
      statuses.push(last.status);
    }
    // The budget is 20 a minute per address, and the tokens put in URLs above were charged to it.
    const unauthorised = statuses.filter((s) => s === 401).length;
    const firstRefusal = statuses.indexOf(429);
    t.ok(unauthorised >= 10 && unauthorised <= 22, `${unauthorised} × 401, then 429`);
    t.same(statuses.slice(firstRefusal), Array(40 - firstRefusal).fill(429), 'from the first 429 on, every one refused');
    t.ok(firstRefusal > 0 && firstRefusal <= 22, `the first 429 at attempt ${firstRefusal + 1}`);
    t.equal(last!.json?.type, 'urn:problem:snp-match:authentication-throttled');
    t.ok(Number(last!.headers.get('retry-after')) >= 1, 'with Retry-After');
    t.equal((await http(service, 'GET', '/v1/bookings')).status, 429, 'no token at all: refused as well');
    t.equal((await http(service, 'GET', '/v1/bookings', { token: known.token })).status, 200, 'the client that authenticated before the flood is still served');
    // A valid token never seen is refused without being looked up: nothing of the database is spent on this address.
    t.equal((await http(service, 'GET', '/v1/bookings', { token: fresh.token })).status, 429, 'a token never seen from a throttled address: 429, no lookup');
  });
});
