// Read-your-writes (issue 16): once a hold, a booking, a cancellation or a
// block is acknowledged, the next match on the same instance reflects it,
// without the NOTIFY round trip. To show that the answer does not rest on the
// hint, the instance's notifier backend is frozen (SIGSTOP) around each write
// and match: no hint leaves it and no notification reaches it meanwhile (only
// the 5 s backstop pass could still run; it could only hide a failure, never
// cause one). The other instance then catches up within the usual lag.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { Service } from '../src/service.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

const patient = { name: 'J. D.', phone: '+33 6 12 34 56 78', age: 40, sex: 'male' as const };
type Ids = () => Promise<string[]>;

const httpMatchIds = (service: { url: string }, token: string): Ids => async () => {
  const answer = await http(service, 'POST', '/v1/match', { token, body: { territory: 'terr-a', limit: 50 } });
  return answer.json.candidates.map((c: { slot: { id: string } }) => c.slot.id);
};

/** The PostgreSQL backend of the notifier can be signalled only when the server runs on this machine as a process we may signal. */
function canFreeze(service: Service): boolean {
  const pid = service.sync.listenerBackendPid;
  if (pid === null) return false;
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Runs `fn` with the instance's notifier backend stopped: no hint out, no notification in. */
async function withoutHints<T>(service: Service, fn: () => Promise<T>): Promise<T> {
  const pid = service.sync.listenerBackendPid!;
  process.kill(pid, 'SIGSTOP');
  try {
    return await fn();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

/** Polls until `ok` holds (the other instance, within the lag bar), or fails after `ms`. */
async function eventually(ids: Ids, ok: (ids: string[]) => boolean, ms = 3_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (ok(await ids())) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

t.test('over HTTP: hold, release, book, cancel, block, unblock are reflected by the next match on the same instance', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const [held, booked, blocked] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 3 }) as [string, string, string];
  const [a, b] = await Promise.all([startTestService(t, db.url), startTestService(t, db.url)]);
  await Promise.all([a.sync.catchUp(), b.sync.catchUp()]);
  if (!canFreeze(a)) { t.pass('skipped: the PostgreSQL server is not a local process this test may signal'); return; }
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a']);
  const onA = httpMatchIds(a, regulator.token);
  const onB = httpMatchIds(b, regulator.token);
  t.same(new Set(await onA()), new Set([held, booked, blocked]), 'all three offered at first');

  const hold = await withoutHints(a, async () => {
    const answer = await http(a, 'POST', '/v1/holds', { token: regulator.token, body: { slotId: held } });
    t.equal(answer.status, 201, 'held', { body: answer.json });
    t.notOk((await onA()).includes(held), 'a held slot is not offered by the next match');
    return answer.json.hold.id as string;
  });
  t.ok(await eventually(onB, (ids) => !ids.includes(held)), 'nor, soon after, by the other instance');

  await withoutHints(a, async () => {
    t.equal((await http(a, 'DELETE', `/v1/holds/${hold}`, { token: regulator.token })).status, 204, 'released');
    t.ok((await onA()).includes(held), 'a released slot is offered again by the next match');
  });
  t.ok(await eventually(onB, (ids) => ids.includes(held)), 'and, soon after, by the other instance');

  const booking = await withoutHints(a, async () => {
    const answer = await http(a, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: booked, patient } });
    t.equal(answer.status, 201, 'booked', { body: answer.json });
    t.notOk((await onA()).includes(booked), 'a booked slot is not offered by the next match');
    return answer.json.booking.id as string;
  });
  t.ok(await eventually(onB, (ids) => !ids.includes(booked)), 'nor, soon after, by the other instance');

  await withoutHints(a, async () => {
    t.equal((await http(a, 'POST', `/v1/bookings/${booking}/cancel`, { token: regulator.token, body: {} })).status, 200, 'cancelled');
    t.ok((await onA()).includes(booked), 'a cancelled booking\'s slot is offered again by the next match');
  });
  t.ok(await eventually(onB, (ids) => ids.includes(booked)), 'and, soon after, by the other instance');

  await withoutHints(a, async () => {
    t.equal((await http(a, 'POST', `/v1/admin/slots/${blocked}/block`, { token: coordinator.token, body: {} })).status, 200, 'blocked');
    t.notOk((await onA()).includes(blocked), 'a blocked slot is not offered by the next match');
  });
  t.ok(await eventually(onB, (ids) => !ids.includes(blocked)), 'nor, soon after, by the other instance');

  await withoutHints(a, async () => {
    t.equal((await http(a, 'POST', `/v1/admin/slots/${blocked}/unblock`, { token: coordinator.token, body: {} })).status, 200, 'unblocked');
    t.ok((await onA()).includes(blocked), 'an unblocked slot is offered again by the next match');
  });
  t.ok(await eventually(onB, (ids) => ids.includes(blocked)), 'and, soon after, by the other instance');

  // Once every pass has run, the local drops agree with PostgreSQL.
  await Promise.all([a.sync.catchUp(), b.sync.catchUp()]);
  t.same(new Set(await onA()), new Set([held, booked, blocked]), 'instance A offers what PostgreSQL holds free');
  t.same(new Set(await onB()), new Set([held, booked, blocked]), 'instance B too');
});

t.test('over the counter socket: hold, book and cancel are reflected by the next match message', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const [held, booked] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 2 }) as [string, string];
  const service = await startTestService(t, db.url);
  await service.sync.catchUp();
  if (!canFreeze(service)) { t.pass('skipped: the PostgreSQL server is not a local process this test may signal'); return; }
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const socket = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token);
  t.teardown(() => socket.close());
  let n = 0;
  const offered = async () => {
    const answer = await socket.request({ id: ++n, type: 'match', body: { territory: 'terr-a', limit: 50 } });
    t.ok(answer.ok, 'matched', { answer });
    return answer.result.candidates.map((c: { slot: { id: string } }) => c.slot.id) as string[];
  };

  await withoutHints(service, async () => {
    const hold = await socket.request({ id: ++n, type: 'hold', body: { slotId: held } });
    t.ok(hold.ok, 'held', { hold });
    t.notOk((await offered()).includes(held), 'the held slot is not offered by the next match message');

    const booking = await socket.request({ id: ++n, type: 'book', idempotencyKey: randomUUID(), body: { slotId: booked, patient } });
    t.ok(booking.ok, 'booked', { booking });
    t.notOk((await offered()).includes(booked), 'the booked slot is not offered by the next match message');

    const cancel = await socket.request({ id: ++n, type: 'cancel', body: { bookingId: booking.result.booking.id } });
    t.ok(cancel.ok, 'cancelled', { cancel });
    t.ok((await offered()).includes(booked), 'the cancelled booking\'s slot is offered again by the next match message');
  });
});
