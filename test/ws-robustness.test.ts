// Hostile and broken peers: malformed frames get error replies or a policy
// close, never a crash, while other clients of the same server are served;
// dead peers are cut by the heartbeat; on shutdown clients get 1001.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { PATIENT } from './helpers/patients.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

const ENV = { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const patient = PATIENT;

t.test('160 malformed frames: error replies, then policy closes; the server goes on serving others', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const slots = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 3 });
  const service = await startTestService(t, db.url, ENV);
  await service.sync.catchUp();
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps);
  const bystander = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token);
  const professional = await TestSocket.open(service.url, '/v1/ws/professional', proToken.token);
  t.teardown(async () => { await bystander.close(); await professional.close(); });
  await professional.waitFor((m) => m.type === 'ready');

  // 60 malformed frames, paced under the rate limit: each gets its error reply.
  const hostile = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token);
  const kinds: { frame: string | Buffer; type: string }[] = [
    { frame: '{"id": 1, "type": "match", ', type: 'malformed-json' },
    { frame: 'not json at all', type: 'malformed-json' },
    { frame: Buffer.from([0, 1, 2, 3]), type: 'binary-frame' },
    { frame: '[1, 2, 3]', type: 'malformed-message' },
    { frame: '"just a string"', type: 'malformed-message' },
    { frame: '{"id": "x", "type": "launch-missiles", "body": {}}', type: 'unknown-message-type' },
    { frame: '{"id": "y", "type": "match", "body": {"horizonHours": "soon"}}', type: 'validation' },
    { frame: '{"id": "z", "type": "ack", "eventId": "first"}', type: 'validation' },
    { frame: '{"type": "book", "body": {}}', type: 'validation' },
    { frame: '{"id": {"nested": true}, "type": "hold", "body": {}}', type: 'validation' },
  ];
  const expected: Record<string, number> = {};
  for (let round = 0; round < 6; round++) {
    for (const kind of kinds) {
      if (typeof kind.frame === 'string') hostile.send(kind.frame);
      else hostile.socket.send(kind.frame, { binary: true });
      expected[kind.type] = (expected[kind.type] ?? 0) + 1;
    }
    // The bystander is served in between.
    const answer = await bystander.request({ id: `m${round}`, type: 'match', body: { commune: '69259' } });
    t.equal(answer.ok, true, `round ${round}: the other client is served`);
    await sleep(600);
  }
  const replies = () => hostile.messages.filter((m) => m.type !== 'ready'); // the counter's stream says ready first
  await hostile.waitFor(() => replies().length >= 60, 5_000, '60 replies');
  const got: Record<string, number> = {};
  for (const m of replies()) {
    if (m.ok !== false) continue;
    const slug = String(m.error.type).replace('urn:problem:snp-match:', '');
    got[slug] = (got[slug] ?? 0) + 1;
  }
  t.same(got, expected, 'every malformed frame got the matching error reply');
  t.same(replies().filter((m) => !(m.ok === false && m.error.status === 400)), [], 'all 400 problems, nothing else');

  // 100 more at once, beyond the burst (40): refusals (429), then a policy close.
  for (let i = 0; i < 100; i++) hostile.send('{"id": 1, "type": "nope"}');
  const flood = await hostile.closed;
  t.equal(flood.code, 1008, `the flood ends in a policy close (${flood.reason})`);
  t.ok(hostile.messages.some((m) => m.error?.status === 429), 'after rate-limited replies');

  // A frame over the size limit: closed with 1009.
  const huge = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token);
  huge.send(JSON.stringify({ id: 1, type: 'match', body: { commune: 'x'.repeat(200_000) } }));
  t.equal((await huge.closed).code, 1009, 'too big: 1009');

  // Still serving: a match, and a booking pushed to the professional.
  t.equal((await bystander.request({ id: 'after', type: 'match', body: { commune: '69259' } })).ok, true, 'the counter still answers');
  const booked = await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: slots[0], patient } });
  t.equal(booked.status, 201);
  await professional.waitFor((m) => m.booking?.id === booked.json.booking.id);
  t.pass('the professional still gets its push');
  t.equal((await http(service, 'GET', '/healthz')).status, 200, 'the process is fine');
});

t.test('heartbeat: a peer that stops answering pings is cut; a live one stays', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url, { ...ENV, WS_HEARTBEAT_MS: '200' });
  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps);
  const dead = await TestSocket.open(service.url, '/v1/ws/professional', proToken.token, { autoPong: false });
  const live = await TestSocket.open(service.url, '/v1/ws/professional', proToken.token);
  t.teardown(() => live.close());
  const started = Date.now();
  const cut = await dead.closed;
  t.equal(cut.code, 1006, 'terminated without a close frame');
  t.ok(Date.now() - started < 2_000, `within two or three periods (${Date.now() - started} ms)`);
  await sleep(800);
  t.equal(live.socket.readyState, live.socket.OPEN, 'the answering peer is still connected');
  t.equal(service.ws.size, 1, 'the server tracks only the live socket');
});

t.test('shutdown: every client is closed with 1001 (going away) before the service ends', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url, ENV);
  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps);
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const sockets = await Promise.all([
    TestSocket.open(service.url, '/v1/ws/professional', proToken.token),
    TestSocket.open(service.url, '/v1/ws/professional', proToken.token),
    TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token),
  ]);
  const started = Date.now();
  await service.close();
  const codes = await Promise.all(sockets.map((s) => s.closed));
  t.same(codes.map((c) => c.code), [1001, 1001, 1001], 'all closed with 1001');
  t.ok(codes.every((c) => c.reason === 'server shutting down'));
  t.ok(Date.now() - started < 5_000, `closed promptly (${Date.now() - started} ms)`);
});
