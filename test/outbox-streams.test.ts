// The outbox's per-recipient positions (sql/007): concurrent writers commit in
// any order, yet no reader ever sees position N of a stream without every
// position below it, and the feed hands each stream's events over in order.
import pino from 'pino';
import t from 'tap';
import { OutboxFeed, type OutboxSubscriber } from '../src/db/outbox/outbox-feed.js';
import { Notifier } from '../src/db/notifications/notifier.js';
import type { OutboxEvent } from '../src/db/outbox/streams.js';
import { migratedDatabase } from './helpers/database.js';

const RECIPIENTS = ['p-1', 'p-2', 'p-3'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A subscriber that takes what passes read and refuses every offer (none is made here: the writers are plain inserts). */
const passesOnly = (deliver: (events: OutboxEvent[]) => void): OutboxSubscriber => ({ deliver, offer: () => false });

t.test('8 writers, 3 streams: no gap ever visible, the feed delivers every stream in order', async (t) => {
  const db = await migratedDatabase(t, 12);
  const notifier = new Notifier({ url: db.url });
  const feed = new OutboxFeed({ notifier, logger: pino({ level: 'silent' }), backstopMs: 200 });
  const seen = new Map<string, number[]>(RECIPIENTS.map((r) => [`professional:${r}`, []]));
  const unsubscribe = RECIPIENTS.map((r) => feed.subscribe(`professional:${r}`, passesOnly((events) => {
    const list = seen.get(events[0]!.stream)!;
    for (const e of events) if (e.seq > (list.at(-1) ?? 0)) list.push(e.seq);
  })));
  await feed.start();

  let writing = true;
  const reader = (async () => {
    let snapshots = 0;
    let idGaps = 0;
    const violations: unknown[] = [];
    while (writing) {
      const streams = await db.pool.query<{ recipient_id: string; n: number; top: number }>(
        'select recipient_id, count(*)::int as n, max(seq)::int as top from events group by recipient_id');
      for (const row of streams.rows) if (row.n !== row.top) violations.push(row);
      // What the positions avoid: ids from the sequence are visible out of order.
      const ids = await db.pool.query<{ n: number; span: number }>('select count(*)::int as n, (coalesce(max(id) - min(id), -1) + 1)::int as span from events');
      if (ids.rows[0]!.n !== ids.rows[0]!.span) idGaps++;
      snapshots++;
    }
    return { snapshots, idGaps, violations };
  })();

  const written = new Map<string, number>(RECIPIENTS.map((r) => [r, 0]));
  await Promise.all(Array.from({ length: 8 }, async (_, w) => {
    const client = await db.pool.connect();
    try {
      for (let i = 0; i < 25; i++) {
        const recipient = RECIPIENTS[(w + i * 7) % RECIPIENTS.length]!;
        await client.query('begin');
        await client.query(`insert into events (recipient_kind, recipient_id, type, payload) values ('professional', $1, 'test', '{"n": 1}')`, [recipient]);
        await sleep(Math.random() * 4);
        await client.query('commit');
        written.set(recipient, written.get(recipient)! + 1);
      }
    } finally {
      client.release();
    }
  }));
  writing = false;
  const { snapshots, idGaps, violations } = await reader;
  t.same(violations, [], `no stream ever showed a gap (${snapshots} snapshots)`);
  t.comment(`event ids were visible out of order in ${idGaps} of ${snapshots} snapshots`);

  const rows = await db.pool.query<{ recipient_id: string; seqs: number[] }>('select recipient_id, array_agg(seq order by seq)::int[] as seqs from events group by recipient_id');
  for (const row of rows.rows) {
    t.same(row.seqs, Array.from({ length: written.get(row.recipient_id)! }, (_, i) => i + 1), `${row.recipient_id}: positions 1..n`);
  }
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && [...seen].some(([key, list]) => list.length < written.get(key.split(':')[1]!)!)) await sleep(50);
  for (const [key, list] of seen) {
    t.same(list, Array.from({ length: written.get(key.split(':')[1]!)! }, (_, i) => i + 1), `${key}: the feed delivered every position, in order`);
  }
  for (const off of unsubscribe) off();
  await feed.stop();
  await notifier.stop();
  await db.pool.end(); // used without Kysely: its destroy() would not end the pool
});

t.test('an insert that defers its NOTIFY (hot bookings) is still found, by the backstop', async (t) => {
  const db = await migratedDatabase(t);
  const notifier = new Notifier({ url: db.url });
  const feed = new OutboxFeed({ notifier, logger: pino({ level: 'silent' }), backstopMs: 300 });
  const got: OutboxEvent[] = [];
  const off = feed.subscribe('professional:p-9', passesOnly((events) => got.push(...events)));
  await feed.start();
  const started = Date.now();
  // As the booking statement does (src/db/slot-claims.ts): the setting is local to its transaction.
  await db.pool.query(`with defer as (select set_config('snp.defer_notify', 'on', true) as v)
    insert into events (recipient_kind, recipient_id, type, payload) select 'professional', 'p-9', 'test', '{}' from defer`);
  while (got.length === 0 && Date.now() - started < 3_000) await sleep(20);
  t.equal(got.length, 1, 'found without an in-transaction NOTIFY');
  t.comment(`found by the backstop after ${Date.now() - started} ms`);
  off();
  await feed.stop();
  await notifier.stop();
  await db.pool.end();
});

t.test('offered events reach a stream by position, whatever order the writers signalled them in', async (t) => {
  const db = await migratedDatabase(t);
  const notifier = new Notifier({ url: db.url });
  const feed = new OutboxFeed({ notifier, logger: pino({ level: 'silent' }), backstopMs: 60_000 });
  const offered: number[][] = [];
  // As a socket does (src/ws/event-stream.ts): only the next position is taken.
  let cursor = 0;
  const off = feed.subscribe('professional:p-1', {
    deliver: () => {},
    offer: (events) => {
      offered.push(events.map((e) => e.seq));
      for (const e of events) { if (e.seq !== cursor + 1) return false; cursor = e.seq; }
      return true;
    },
  });
  const event = (stream: string, seq: number): OutboxEvent => ({ stream, seq, type: 'booking.created', payloadJson: '{}', createdAtMs: 0 });
  // A batch wrote p-1's events in booking-id order; its members signalled in arrival order.
  feed.offer([event('professional:p-1', 2), event('professional:p-2', 1), event('professional:p-1', 1), event('professional:p-1', 3)]);
  t.same(offered, [[1, 2, 3]], 'one offer for the stream served here, by position');
  t.equal(cursor, 3, 'all three taken, none left for a pass');
  off();
  await feed.stop();
  await notifier.stop();
  await db.pool.end();
});
