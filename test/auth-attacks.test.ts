// Authentication attacks on two instances (SPEC §5: every client authenticated
// and scoped): missing, malformed, forged, expired and revoked tokens on every
// operation of the OpenAPI document and on the socket upgrades; a token
// expiring or revoked while cached stops working at once on every instance; a
// token of another territory; a professional reaching for another's bookings.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { createClient, revokeClient } from '../src/auth/clients.js';
import { migratedDatabase } from './helpers/database.js';
import { addBooking, addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { operationsOf } from './helpers/openapi-fuzz.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

const PUBLIC = new Set(['/healthz', '/readyz', '/fhir/metadata']);

function isRefusal(answer: { status: number; headers: Headers; json: any }, status: number, fhir: boolean): boolean {
  const type = answer.headers.get('content-type') ?? '';
  return answer.status === status && (fhir
    ? type.startsWith('application/fhir+json') && answer.json?.resourceType === 'OperationOutcome'
    : type.startsWith('application/problem+json') && answer.json?.status === status);
}

t.test('authentication attacks', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const [proA, proA2] = w.a.pros as [typeof w.a.pros[0], typeof w.a.pros[0]];
  const slots = await addSlots(db.db, proA, { start: soon(), count: 4 });
  const [one, two] = await Promise.all([startTestService(t, db.url), startTestService(t, db.url)]);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const booking = await addBooking(db.db, { slotId: slots[0]!, clientId: regulator.id });

  await t.test('no token, a malformed one, a forged one, an expired one, a revoked one: 401 on every operation', async (t) => {
    const expired = await createClient(db.db, { role: 'coordinator', territories: ['terr-a'], expiresAt: new Date(Date.now() - 1_000) });
    const revoked = await createClient(db.db, { role: 'coordinator', territories: ['terr-a'] });
    await revokeClient(db.db, revoked.id);
    const forged = `snp_${Buffer.alloc(32, 7).toString('base64url')}`;
    const attempts: [string, Record<string, string>][] = [
      ['missing', {}], ['empty bearer', { authorization: 'Bearer ' }], ['basic', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
      ['malformed', { authorization: 'Bearer not-a-token' }], ['two tokens', { authorization: `Bearer ${regulator.token} ${regulator.token}` }],
      ['forged', { authorization: `Bearer ${forged}` }], ['expired', { authorization: `Bearer ${expired.token}` }],
      ['revoked', { authorization: `Bearer ${revoked.token}` }],
    ];
    const operations = operationsOf((await http(one, 'GET', '/docs/json')).json).filter((op) => !PUBLIC.has(op.path));
    const wrong: string[] = [];
    let tried = 0;
    for (const op of operations) {
      const path = op.path.replace(/\{[^}]+\}/g, booking);
      for (const [name, headers] of attempts) {
        const answer = await http(tried % 2 === 0 ? one : two, op.method, path, { headers, ...(op.takesBody ? { body: {} } : {}) });
        tried++;
        if (!isRefusal(answer, 401, path.startsWith('/fhir/')) || !/^Bearer/.test(answer.headers.get('www-authenticate') ?? '')) {
          wrong.push(`${name} ${op.method} ${path}: ${answer.status} ${answer.text.slice(0, 120)}`);
        }
      }
    }
    t.comment(`${tried} unauthenticated requests over ${operations.length} operations`);
    t.same(wrong, [], 'each a 401 with WWW-Authenticate: Bearer, problem+json (OperationOutcome under /fhir)');

    for (const [name, headers] of attempts) {
      const refused = await TestSocket.open(one.url, '/v1/ws/professional', headers.authorization?.replace(/^Bearer /, '') ?? '').catch((e) => e);
      t.equal(refused.status, 401, `socket upgrade with a ${name} token: 401`);
    }
    const viaQuery = await TestSocket.open(one.url, '/v1/ws/counter', revoked.token, { query: true }).catch((e) => e);
    t.equal(viaQuery.status, 401, 'a revoked token as ?token= on the upgrade: 401');
  });

  await t.test('a cached token stops working at once when revoked, on every instance', async (t) => {
    const client = await tokenFor(db.db, 'regulator', ['terr-a']);
    const match = (service: { url: string }) => http(service, 'POST', '/v1/match', { token: client.token, body: { territory: 'terr-a' } });
    t.same([(await match(one)).status, (await match(two)).status], [200, 200], 'works (and is now cached) on both instances');
    const revokedAt = Date.now();
    await revokeClient(db.db, client.id);
    let both = false;
    while (!both && Date.now() - revokedAt < 5_000) {
      both = (await match(one)).status === 401 && (await match(two)).status === 401;
    }
    const took = Date.now() - revokedAt;
    t.ok(both, `401 on both instances ${took} ms after the revocation`);
    t.ok(took < 2_000, 'well before the 10 s cache lifetime');
  });

  await t.test('a cached token stops working when it expires, not up to 10 s later', async (t) => {
    const expiresAt = new Date(Date.now() + 1_500);
    const client = await createClient(db.db, { role: 'regulator', territories: ['terr-a'], expiresAt });
    t.equal((await http(one, 'POST', '/v1/match', { token: client.token, body: { territory: 'terr-a' } })).status, 200, 'works before');
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 50));
    t.equal((await http(one, 'POST', '/v1/match', { token: client.token, body: { territory: 'terr-a' } })).status, 401, '401 just after expiry');
  });

  await t.test('a token of another territory reaches nothing of this one', async (t) => {
    const regB = await tokenFor(db.db, 'regulator', ['terr-b']);
    const coordB = await tokenFor(db.db, 'coordinator', ['terr-b']);
    t.ok(isRefusal(await http(one, 'POST', '/v1/match', { token: regB.token, body: { territory: 'terr-a' } }), 403, false), 'match in terr-a: 403');
    t.ok(isRefusal(await http(one, 'POST', '/v1/bookings', { token: regB.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: slots[1], patient: { name: 'X', phone: '0600000000' } } }), 404, false), 'booking a terr-a slot: 404');
    t.ok(isRefusal(await http(one, 'GET', `/v1/bookings/${booking}`, { token: coordB.token }), 404, false), 'reading a terr-a booking: 404');
    t.ok(isRefusal(await http(one, 'POST', `/v1/bookings/${booking}/cancel`, { token: coordB.token, body: {} }), 404, false), 'cancelling it: 404');
    t.ok(isRefusal(await http(one, 'GET', '/v1/bookings?territory=terr-a', { token: coordB.token }), 403, false), 'listing terr-a bookings: 403');
    t.ok(isRefusal(await http(one, 'GET', `/v1/admin/professionals?territory=terr-a`, { token: coordB.token }), 403, false), 'terr-a professionals: 403');
    const fhir = await http(one, 'GET', `/fhir/Slot/${slots[1]}`, { token: coordB.token });
    t.ok(isRefusal(fhir, 404, true), 'a terr-a FHIR Slot: 404 OperationOutcome');
    const socket = await TestSocket.open(one.url, '/v1/ws/coordinator?territory=terr-a', coordB.token).catch((e) => e);
    t.equal(socket.status, 403, 'the terr-a coordinator socket: 403');
    const still = await db.db.selectFrom('bookings').select('status').where('id', '=', booking).executeTakeFirstOrThrow();
    t.equal(still.status, 'booked', 'the booking is untouched');
  });

  await t.test('a professional cannot reach another professional\'s bookings', async (t) => {
    const mine = await tokenFor(db.db, 'professional', ['terr-a'], proA2.rpps);
    t.ok(isRefusal(await http(two, 'GET', `/v1/bookings/${booking}`, { token: mine.token }), 404, false), 'reading it: 404');
    t.ok(isRefusal(await http(two, 'POST', `/v1/bookings/${booking}/cancel`, { token: mine.token, body: {} }), 404, false), 'cancelling it: 404');
    t.ok(isRefusal(await http(two, 'POST', `/v1/bookings/${booking}/no-show`, { token: mine.token }), 404, false), 'marking it a no-show: 404');
    const list = await http(two, 'GET', '/v1/bookings', { token: mine.token });
    t.equal(list.status, 200);
    t.same(list.json.bookings, [], 'its list does not show it');
    // Its socket streams its own bookings only: a booking for proA is never pushed to proA2.
    const socket = await TestSocket.open(two.url, '/v1/ws/professional?after=0', mine.token);
    t.teardown(() => socket.close());
    await socket.waitFor((m) => m.type === 'ready');
    const theirs = await http(one, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: slots[2], patient: { name: 'Y', phone: '0600000000' } } });
    t.equal(theirs.status, 201);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    t.same(socket.events(), [], 'nothing of proA reached proA2\'s socket');
  });
});
