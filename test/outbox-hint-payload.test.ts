// The events an after-commit hint carries on outbox_events (src/db/outbox/hint-payload.ts):
// every payload under PostgreSQL's 8,000-byte limit, every event that fits carried once and
// in order, and a plain '' (read the outbox) whenever some event is not carried.
import fc from 'fast-check';
import t from 'tap';
import { eventsOfPayload, hintPayloads, MAX_BYTES } from '../src/db/outbox/hint-payload.js';
import type { OutboxEvent } from '../src/usecases/event-stream-store.js';

const event: fc.Arbitrary<OutboxEvent> = fc.record({
  stream: fc.constantFrom('professional:9f1c', 'territory:venissieux', 'client:é"\\'),
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  type: fc.constantFrom('booking.created', 'booking.cancelled'),
  // Up to past the limit, with characters that take 2 to 4 bytes or need escaping.
  payloadJson: fc.string({ unit: 'binary', maxLength: 3_000 }).map((text) => JSON.stringify({ patient: { name: text } })),
  createdAtMs: fc.double({ min: 0, max: 4e12, noNaN: true }),
});

t.test('payloads: under the limit, every event that fits carried once in order, a plain hint when any is not', async (t) => {
  fc.assert(fc.property(fc.array(event, { maxLength: 40 }), fc.boolean(), (events, unknown) => {
    const payloads = hintPayloads(events, unknown);
    const carried: OutboxEvent[] = [];
    let plain = 0;
    for (const payload of payloads) {
      if (Buffer.byteLength(payload) >= 8_000) return false;
      const decoded = eventsOfPayload(payload);
      if (decoded === undefined) { if (payload !== '') return false; plain++; continue; }
      if (decoded.length === 0) return false;
      carried.push(...decoded);
    }
    // The oracle: an event is carried when its own encoding fits in one payload.
    const fits = events.filter((e) => Buffer.byteLength(JSON.stringify([e.stream, e.seq, e.type, e.payloadJson, e.createdAtMs])) + 3 <= MAX_BYTES);
    return JSON.stringify(carried) === JSON.stringify(fits) && plain === (unknown || fits.length < events.length ? 1 : 0);
  }), { numRuns: 300 });
  t.pass('300 random sets of events');
});

t.test('anything else on the channel is a plain hint: the feed reads the outbox', async (t) => {
  for (const payload of ['', 'hint', '{}', '[1]', '[["s",1,"t","{}"]]', '[["s",1.5,"t","{}",0]]', '[["s",1,"t",{},0]]', 'not json']) {
    t.equal(eventsOfPayload(payload), undefined, JSON.stringify(payload));
  }
  t.same(eventsOfPayload('[["professional:p",3,"booking.created","{\\"a\\": 1}",12.5]]'),
    [{ stream: 'professional:p', seq: 3, type: 'booking.created', payloadJson: '{"a": 1}', createdAtMs: 12.5 }]);
  t.same(hintPayloads([], false), [], 'nothing written, nothing known to look for: no notification');
  t.same(hintPayloads([], true), [''], 'unknown events: one plain hint');
});
