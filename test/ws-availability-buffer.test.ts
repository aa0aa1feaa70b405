// The counter's availability coalescing with a slow socket: nothing is queued
// while the socket is behind, only the latest state of each slot is kept, and
// past the cap the client is told to match again.
import t from 'tap';
import { AvailabilityBuffer, AvailabilityFanout } from '../src/ws/availability.js';
import type { Connection } from '../src/ws/connection.js';

function fakeConnection() {
  const sent: any[] = [];
  const connection = { isOpen: true, socket: { bufferedAmount: 0 }, send: (m: object) => { sent.push(m); return true; } };
  return { connection, sent, asConnection: connection as unknown as Connection };
}

t.test('while the socket is behind, changes coalesce into the latest state per slot; one message once it drains', async (t) => {
  const { connection, sent, asConnection } = fakeConnection();
  const fanout = new AvailabilityFanout();
  fanout.add(new AvailabilityBuffer(asConnection, ['terr-a'], { highWaterBytes: 1_000, maxPending: 100 }));
  connection.socket.bufferedAmount = 5_000; // a slow reader
  for (let round = 0; round < 50; round++) {
    for (let slot = 0; slot < 10; slot++) fanout.publish({ slotId: `s${slot}`, territoryId: 'terr-a', available: round % 2 === 1 });
    fanout.publish({ slotId: 'elsewhere', territoryId: 'terr-b', available: true });
    fanout.flush();
  }
  t.equal(sent.length, 0, 'nothing sent while the socket is behind');
  connection.socket.bufferedAmount = 0;
  fanout.flush();
  t.equal(sent.length, 1, 'one message when it drains');
  t.same(sent[0], { type: 'availability', changes: Array.from({ length: 10 }, (_, i) => ({ slotId: `s${i}`, territory: 'terr-a', available: true })) },
    '500 changes of 10 slots: their 10 latest states, nothing of another territory');
  fanout.flush();
  t.equal(sent.length, 1, 'nothing more to say');
});

t.test('past the cap the buffer is dropped and the client told to match again', async (t) => {
  const { connection, sent, asConnection } = fakeConnection();
  const buffer = new AvailabilityBuffer(asConnection, ['terr-a'], { highWaterBytes: 1_000, maxPending: 100 });
  connection.socket.bufferedAmount = 5_000;
  for (let slot = 0; slot < 1_000; slot++) buffer.add({ slotId: `s${slot}`, territoryId: 'terr-a', available: false });
  connection.socket.bufferedAmount = 0;
  buffer.flush();
  t.same(sent, [{ type: 'availability', changes: [], overflow: true }], 'bounded memory: an overflow notice instead of 1,000 changes');
  buffer.add({ slotId: 'after', territoryId: 'terr-a', available: true });
  buffer.flush();
  t.same(sent[1], { type: 'availability', changes: [{ slotId: 'after', territory: 'terr-a', available: true }] }, 'then back to normal');
});
