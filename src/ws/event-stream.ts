// One socket reading one outbox stream: first the unacknowledged events after
// the client's cursor, then live events from the feed, each sent once, in
// stream order.
//
// The socket subscribes to the feed BEFORE its replay query: an event the feed
// hands over during the replay is buffered, and one handed over before the
// subscription was committed before the replay's snapshot, so the replay has
// it. Duplicates from the two paths are dropped by position (`cursor`).
import type { OutboxFeed } from '../db/outbox/outbox-feed.js';
import { streamKey, type OutboxEvent, type StreamRef } from '../db/outbox/streams.js';
import type { UseCaseContext } from '../usecases/context.js';
import { replayEvents, streamPosition } from '../usecases/event-streams.js';
import type { Connection } from './connection.js';
import { pushLatency } from '../observability/metrics.js';

/** `{...payload, type, eventId}` spliced as text: the stored JSON is sent without a parse and re-serialise. */
export function eventMessage(event: OutboxEvent): string {
  const tail = `"type":${JSON.stringify(event.type)},"eventId":${event.seq}}`;
  const payload = event.payloadJson;
  return payload.length > 2 && payload.startsWith('{') && payload.endsWith('}') ? `${payload.slice(0, -1)},${tail}` : `{${tail}`;
}

export class StreamDelivery {
  /** Highest position sent (or passed over as already acknowledged). */
  private cursor = 0;
  /** Live events arriving while a replay runs; null when live. */
  private buffered: OutboxEvent[] | null = [];
  private generation = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly connection: Connection,
    readonly stream: StreamRef,
    private readonly ctx: UseCaseContext,
    feed: OutboxFeed,
    private readonly pageSize = 200,
  ) {
    this.unsubscribe = feed.subscribe(streamKey(stream), { deliver: (events) => this.deliver(events), offer: (events) => this.offer(events) });
    connection.onClose(() => { this.generation++; this.unsubscribe(); });
  }

  /**
   * Replays the unacknowledged events after `after`, then goes live; ends with
   * a `ready` message. An `after` beyond the stream's last event (a cursor from
   * another stream, or a made-up one) would skip the events still to come: the
   * client is told (`cursor-reset`) and the delivery starts from the head.
   */
  async resume(after: number): Promise<void> {
    const generation = ++this.generation;
    this.buffered = [];
    let cursor = after;
    if (after > 0) {
      const head = await streamPosition(this.ctx, this.stream);
      if (generation !== this.generation) return;
      if (after > head) {
        this.connection.send({ type: 'cursor-reset', after, lastEventId: head,
          detail: `after=${after} is beyond the last event of this stream (${head}); delivering from ${head}, so nothing later is skipped` });
        cursor = head;
      }
    }
    for (;;) {
      const { events: page, head } = await replayEvents(this.ctx, this.stream, cursor, this.pageSize);
      if (generation !== this.generation) return; // closed, or resumed again meanwhile
      const full = page.length === this.pageSize;
      let written: Promise<void> | undefined;
      page.forEach((event, i) => {
        if (!full || i < page.length - 1) this.connection.send(eventMessage(event));
        // Big backlog: one page in the socket at a time.
        else written = new Promise<void>((resolve) => { if (!this.connection.send(eventMessage(event), () => resolve())) resolve(); });
      });
      cursor = page.at(-1)?.seq ?? cursor;
      if (!full) {
        // Past every event of the replay's snapshot, acknowledged ones included: the feed,
        // when this instance reads them late, must not send them again as new.
        cursor = Math.max(cursor, head);
        break;
      }
      await written;
      if (generation !== this.generation) return;
    }
    const buffered = this.buffered.sort((a, b) => a.seq - b.seq);
    this.buffered = null;
    this.cursor = cursor;
    this.deliver(buffered);
    this.connection.send({ type: 'ready', lastEventId: this.cursor });
  }

  private deliver(events: OutboxEvent[]): void {
    if (this.buffered !== null) {
      this.buffered.push(...events);
      return;
    }
    for (const event of events) if (event.seq > this.cursor) this.send(event);
  }

  /**
   * Events offered before a pass read them (outbox-feed.ts): sent when each is the next
   * position, so none is skipped. During a replay, or after a gap, refused: the pass brings them.
   */
  private offer(events: OutboxEvent[]): boolean {
    if (this.buffered !== null) return false;
    for (const event of events) {
      if (event.seq <= this.cursor) continue;
      if (event.seq !== this.cursor + 1) return false;
      this.send(event);
    }
    return true;
  }

  private send(event: OutboxEvent): void {
    this.cursor = event.seq;
    // Sent even when already acked: another device (perhaps on another instance)
    // may ack between the commit and this instance's pass, and every connected
    // device must still see it. Only a replay skips acked events.
    if (this.connection.send(eventMessage(event)) && this.stream.kind === 'professional') {
      // Live pushes only: a replay measures how long the professional was away.
      pushLatency.observe({ type: event.type }, Math.max(0, Date.now() - event.createdAtMs) / 1000);
    }
  }
}
