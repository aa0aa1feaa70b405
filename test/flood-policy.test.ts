// Issue 15's flood bar, the policy behind it (README, Security): a client's
// burst is a few seconds of its rate, not a whole minute; a socket over its
// client's budget is left unread until the budget refills (one refusal per
// wait, not one per frame); a throttled address's flood gets a second's worth
// of immediate refusals, the rest are held (the tarpit). Each assertion fails
// against the policy before it (a minute's burst, a refusal per frame, 6,000
// immediate refusals).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { BURST_SECONDS, ClientBudget, clientBurst } from '../src/auth/client-budget.js';
import { RefusalWordings } from '../src/server/refusals.js';
import { throttleGate } from '../src/server/throttle-gate.js';
import { tarpitHoldMs } from '../src/server/tarpit.js';
import { migratedDatabase } from './helpers/database.js';
import { tokenFor, world } from './helpers/fixtures.js';
import { startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

t.test('a client\'s burst is a few seconds of its rate; a small budget keeps its whole minute', async (t) => {
  t.equal(BURST_SECONDS, 10);
  t.equal(clientBurst(3000), 500, 'the default 3000 a minute: bursts of 500, not 3000');
  t.equal(clientBurst(600), 100, '600 a minute: 100');
  t.equal(clientBurst(120), 60, 'never fewer than 60 at once');
  t.equal(clientBurst(30), 30, '30 a minute: all 30 at once');
  t.equal(clientBurst(5), 5, '5 a minute: all 5 at once');

  let now = 0;
  const budget = new ClientBudget(3000, () => now);
  const granted = Array.from({ length: 3000 }, () => budget.take('rogue')).filter((wait) => wait === undefined).length;
  t.equal(granted, 500, 'a client firing 3000 at once is served 500');
  t.equal(budget.take('rogue'), 1, 'then told to wait a second');
  now += 1_000;
  const nextSecond = Array.from({ length: 100 }, () => budget.take('rogue')).filter((wait) => wait === undefined).length;
  t.equal(nextSecond, 50, 'then its rate: 50 a second');
  t.equal(budget.take('other'), undefined, 'another client has its own budget');
  now += 60_000;
  const refilled = Array.from({ length: 1000 }, () => budget.take('rogue')).filter((wait) => wait === undefined).length;
  t.equal(refilled, 500, 'a quiet minute refills the burst, not beyond');
});

t.test('a socket over its client\'s budget is not read until the budget refills: one refusal per wait', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  // 30 a minute: bursts of 30, one more every 2 s.
  const service = await startTestService(t, db.url, { RATE_LIMIT_PER_MINUTE: '30' });
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const socket = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token);
  t.teardown(() => socket.close());
  await socket.waitFor((m) => m.type === 'ready');
  // 40 frames at once: within the socket's own rate (bursts of 40), past the client's budget (30, the upgrade included).
  for (let id = 0; id < 40; id++) socket.send({ id, type: 'match', body: { territory: 'terr-a' } });
  const answers = () => socket.messages.filter((m) => typeof m.ok === 'boolean');
  const refused = await socket.waitFor((m) => m.ok === false, 10_000, 'the first refusal');
  t.equal(refused.error.status, 429, 'the frame past the budget: a 429');
  t.match(refused.error.detail, /HTTP, FHIR and WebSocket together/);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const servedBefore = answers().filter((m) => m.ok === true).length;
  t.ok(servedBefore >= 28 && servedBefore <= 30, `${servedBefore} served within the budget`);
  const refusals = answers().filter((m) => m.ok === false).length;
  t.equal(refusals, 1, 'a second later still one refusal: the frames behind it wait in the socket, unread (before: one 429 per frame)');
  t.ok(answers().length < 40, `${answers().length} of 40 frames answered: the rest not yet read`);
  t.equal(socket.socket.readyState, socket.socket.OPEN, 'and the socket stays open (no policy close for frames never read)');
  // The budget gives one every 2 s: reading resumes and the waiting frames are answered, a few at a time.
  await socket.waitFor(() => answers().length > servedBefore + 1, 6_000, 'an answer once reading resumes');
  t.pass('reading resumed once the budget could give one');
  const closed = await socket.close();
  t.equal(closed.code, 1000, 'the client\'s close is answered');
});

t.test('a throttled address\'s flood: a second\'s worth of refusals at once, the rest held a second', async (t) => {
  const wordings = new RefusalWordings((refusal) => ({ contentType: 'application/problem+json', body: JSON.stringify({ status: refusal.status }) }));
  // The free refusals' clock stands still: none comes back during the flood, whatever the machine's speed.
  const gate = throttleGate({ throttledFor: () => 30, knowsBearer: () => false }, wordings, 100, () => 0);
  // Timed at the server (arrival to answer written): the client's clock would add a busy machine's delays.
  const answeredAfter: number[] = [];
  let firstArrival: number | undefined;
  let lastArrival = 0;
  const server: Server = createServer((request, response) => {
    const arrived = Date.now();
    firstArrival ??= arrived;
    lastArrival = arrived;
    response.once('finish', () => answeredAfter.push(Date.now() - arrived));
    if (!gate(request, response, () => false)) response.end('through');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/bookings`;

  const FLOOD = 300;
  const flood = await Promise.all(Array.from({ length: FLOOD }, async () => {
    const response = await fetch(url, { headers: { authorization: 'Bearer snp_guess' } });
    await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  }));
  t.ok(flood.every((a) => a.status === 429 && a.retryAfter === '30'), 'every one a 429 with Retry-After');
  const immediate = answeredAfter.filter((ms) => ms < 500).length;
  const held = answeredAfter.filter((ms) => ms >= 950).length;
  // A second's worth (100) at once: the rest of the flood is held (before: 6,000 at once, none held).
  t.equal(immediate, 100, `100 of ${FLOOD} answered at once (arriving over ${lastArrival - firstArrival!} ms)`);
  t.equal(held, FLOOD - 100, 'the other 200 held about a second');
});

t.test('a held refusal comes back after one to two seconds, on a 50 ms grid: a flood\'s connections are not kept in step', async (t) => {
  const holds = Array.from({ length: 2_000 }, (_, i) => {
    const now = 1_700_000_000_000 + i * 7;
    return { now, hold: tarpitHoldMs(now) };
  });
  t.ok(holds.every(({ hold }) => hold >= 1_000 && hold <= 2_050), 'between one and two seconds (and the grid\'s step)');
  t.ok(holds.every(({ now, hold }) => (now + hold) % 50 === 0), 'released on the grid');
  const releases = new Set(holds.map(({ now, hold }) => now + hold));
  const sameArrival = new Set(Array.from({ length: 200 }, () => tarpitHoldMs(1_700_000_000_000)));
  t.ok(sameArrival.size >= 10, `200 refusals arriving together come back at ${sameArrival.size} moments, not one`);
  t.ok(releases.size < holds.length / 2, `2,000 refusals released at ${releases.size} moments: batched on the grid`);
  t.equal(tarpitHoldMs(1_000, () => 0), 1_000, 'the shortest hold');
  t.equal(tarpitHoldMs(1_001, () => 0.999_999), 2_049, 'the longest: two seconds, up to the next grid line');
});
