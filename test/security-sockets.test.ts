// Issue 15, findings 1 and 8, replayed: a socket outliving its credential, and
// a socket opened with ?after= beyond the head of its stream. Two instances on
// one PostgreSQL: a revocation, an expiry or a change of scope must close every
// socket of the client on every instance within a second, with a documented
// close code (4401 credential revoked or expired, 4403 scope changed), and
// nothing is delivered or answered after that.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { createClient, revokeClient } from '../src/auth/clients.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

const patient = { name: 'J. D.', phone: '+33 6 12 34 56 78' };

async function book(service: { url: string }, token: string, slotId: string) {
  return http(service, 'POST', '/v1/bookings', { token, headers: { 'idempotency-key': randomUUID() }, body: { slotId, patient } });
}

t.test('sockets bound to their credential', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const slots = await addSlots(db.db, pro, { start: soon(), count: 6 });
  const [one, two] = await Promise.all([startTestService(t, db.url), startTestService(t, db.url)]);
  await Promise.all([one.sync.catchUp(), two.sync.catchUp()]);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);

  await t.test('a revocation closes every socket of the client on every instance (4401) within 1 s; nothing reaches it after', async (t) => {
    const proToken = await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps);
    const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
    const sockets = [
      await TestSocket.open(one.url, '/v1/ws/professional', proToken.token),
      await TestSocket.open(two.url, '/v1/ws/professional', proToken.token, { query: true }),
    ];
    const counter = await TestSocket.open(two.url, '/v1/ws/counter', pharmacist.token);
    t.teardown(async () => { for (const s of [...sockets, counter]) await s.close(); });
    await Promise.all([...sockets, counter].map((s) => s.waitFor((m) => m.type === 'ready')));
    t.equal((await counter.request({ id: 1, type: 'match', body: { territory: 'terr-a' } })).ok, true, 'the counter socket works before');

    const revokedAt = Date.now();
    await Promise.all([revokeClient(db.db, proToken.id), revokeClient(db.db, pharmacist.id)]);
    const closes = await Promise.all([...sockets, counter].map((s) => s.closed.then((c) => ({ ...c, after: Date.now() - revokedAt }))));
    t.comment(`closed after ${closes.map((c) => c.after).join(', ')} ms`);
    for (const [i, close] of closes.entries()) {
      t.equal(close.code, 4401, `socket ${i}: close code 4401`);
      t.equal(close.reason, 'credential revoked or expired', `socket ${i}: says why`);
      t.ok(close.after < 1_000, `socket ${i}: within 1 s`);
    }
    // The booking the revoked professional would have been told of, with the patient's name and phone.
    t.equal((await book(one, regulator.token, slots[0]!)).status, 201);
    await new Promise((resolve) => setTimeout(resolve, 500));
    t.same(sockets.flatMap((s) => s.events()), [], 'no booking.created reached a revoked socket');
    const again = await TestSocket.open(one.url, '/v1/ws/professional', proToken.token).catch((e) => e);
    t.equal(again.status, 401, 'and it cannot reconnect');
  });

  await t.test('an expiry closes the socket (4401) when the token expires, not later', async (t) => {
    const expiresAt = new Date(Date.now() + 2_000);
    const client = await createClient(db.db, { role: 'regulator', territories: ['terr-a'], expiresAt });
    const socket = await TestSocket.open(two.url, '/v1/ws/counter', client.token);
    t.teardown(() => socket.close());
    await socket.waitFor((m) => m.type === 'ready');
    const closed = await socket.closed;
    const late = Date.now() - expiresAt.getTime();
    t.equal(closed.code, 4401, 'close code 4401');
    t.ok(late > -50 && late < 1_000, `closed ${late} ms after the expiry`);
  });

  await t.test('a change of role or territories closes the socket (4403): it was authorised for the old scope', async (t) => {
    const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a']);
    const regulatorToo = await tokenFor(db.db, 'regulator', ['terr-a']);
    const territorySocket = await TestSocket.open(one.url, '/v1/ws/coordinator', coordinator.token);
    const counter = await TestSocket.open(two.url, '/v1/ws/counter', regulatorToo.token);
    t.teardown(async () => { await territorySocket.close(); await counter.close(); });
    await Promise.all([territorySocket.waitFor((m) => m.type === 'ready'), counter.waitFor((m) => m.type === 'ready')]);
    const changedAt = Date.now();
    await db.db.updateTable('api_clients').set({ territories: ['terr-b'] }).where('id', '=', coordinator.id).execute();
    await db.db.updateTable('api_clients').set({ role: 'pharmacist' }).where('id', '=', regulatorToo.id).execute();
    const [a, b] = await Promise.all([territorySocket.closed, counter.closed]);
    const took = Date.now() - changedAt;
    t.same([a.code, b.code], [4403, 4403], 'both closed with 4403');
    t.equal(a.reason, 'scope changed; reconnect');
    t.ok(took < 1_000, `within 1 s (${took} ms)`);
    // An unrelated change to the client (its name) keeps its sockets.
    const keeper = await tokenFor(db.db, 'regulator', ['terr-a']);
    const kept = await TestSocket.open(one.url, '/v1/ws/counter', keeper.token);
    t.teardown(() => kept.close());
    await kept.waitFor((m) => m.type === 'ready');
    await db.db.updateTable('api_clients').set({ name: 'renamed' }).where('id', '=', keeper.id).execute();
    await new Promise((resolve) => setTimeout(resolve, 500));
    t.equal((await kept.request({ id: 'k', type: 'match', body: { territory: 'terr-a' } })).ok, true, 'a rename keeps the socket');
  });

  await t.test('?after= beyond the head of the stream: said so, delivery from the head, the next events not skipped', async (t) => {
    const other = w.b.pros[0]!;
    const [slotB] = await addSlots(db.db, other, { start: soon(), count: 1 });
    await Promise.all([one.sync.catchUp(), two.sync.catchUp()]);
    const proToken = await tokenFor(db.db, 'professional', ['terr-b'], other.rpps);
    const regB = await tokenFor(db.db, 'regulator', ['terr-b']);
    // The README's own example on a new stream: ?after=41 where nothing was written yet.
    const socket = await TestSocket.open(one.url, '/v1/ws/professional?after=41', proToken.token);
    t.teardown(() => socket.close());
    const reset = await socket.waitFor((m) => m.type === 'cursor-reset');
    t.match(reset, { type: 'cursor-reset', after: 41, lastEventId: 0 }, 'the server says the cursor is beyond the head (0)');
    t.match(await socket.waitFor((m) => m.type === 'ready'), { lastEventId: 0 }, 'and starts from there');
    t.equal((await book(two, regB.token, slotB!)).status, 201);
    const created = await socket.waitFor((m) => m.type === 'booking.created');
    t.equal(created.eventId, 1, 'the first booking, eventId 1, is delivered (it used to be skipped)');

    const resumed = await socket.request({ id: 'r', type: 'resume', after: 99 });
    t.same(resumed, { id: 'r', ok: true, result: { after: 99 } });
    const second = await socket.waitFor((m) => m.type === 'cursor-reset' && m.after === 99);
    t.equal(second.lastEventId, 1, 'a resume beyond the head is reset too');
    const replayed = await socket.waitFor((m) => m.type === 'ready' && m.lastEventId === 1);
    t.ok(replayed, 'ready at the head');
  });
});
