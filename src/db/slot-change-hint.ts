// "Slots changed, look now", sent after commit for writers that defer their
// in-transaction NOTIFY (see sql/004_deferred_slot_notify.sql). Calls coalesce:
// while one NOTIFY is in flight, any number of signals make exactly one more.
//
// It is sent on the instance's notifier connection, not from the service pool
// nor from a connection of its own: what the hint was moved out of the
// booking's transaction for is kept — the writer's commit does not wait on the
// global notify lock, and the NOTIFY itself commits asynchronously (the
// notifier session runs with synchronous_commit=off; a lost hint costs
// nothing, every listener's backstop pass finds the change anyway) — and it
// does not queue behind a busy pool. While the notifier is disconnected the
// hint waits and is sent once it is back.
//
// Two channels: slot_changes for the index, outbox_events for the sockets.
// On slot_changes the hint says HINT_REFLECTED when every write it stands for
// was already reflected in this instance's index (a hold, a booking): hearing
// its own such hint, the instance defers its catch-up pass (index-sync.ts).
// On outbox_events the hint carries the events the writer committed, when it
// knows them (a booking: its booking.created), so that another instance hands
// them to its sockets without reading them back (src/db/outbox/outbox-feed.ts;
// they are taken only where they follow what was delivered without a gap, and
// the feed reads whatever it was not given). Patient details travel in that
// payload as they do in a pass's read of the same row: between PostgreSQL and
// the service, never to a log.
import { HINT_ANNOUNCES_EVENTS, HINT_REFLECTED, OUTBOX_EVENTS_CHANNEL, SLOT_CHANGES_CHANNEL } from './notifications/channels.js';
import type { Notifier, Subscription } from './notifications/notifier.js';
import { hintPayloads } from './outbox/hint-payload.js';
import type { OutboxEvent } from '../usecases/event-stream-store.js';

import type { SlotChangeSignal } from '../usecases/slot-change-signal.js';

export type { SlotChangeSignal } from '../usecases/slot-change-signal.js';

// The payloads as one JSON array: a text[] parameter is escaped character by character in
// JavaScript by the driver (13 µs a booking in the booking profile), JSON.stringify natively.
const SEND = `select pg_notify('${SLOT_CHANGES_CHANNEL}', $2), (select count(pg_notify('${OUTBOX_EVENTS_CHANNEL}', p)) from json_array_elements_text($1::json) p)`;

export class SlotChangeHint implements SlotChangeSignal {
  private readonly subscription: Subscription;
  private inFlight: Promise<void> | null = null;
  private pending = false;
  /** Events to carry with the next hint. */
  private events: OutboxEvent[] = [];
  /** A writer that did not say which events it wrote: the outbox listeners must look. */
  private unknownEvents = false;
  /** Every signal since the last hint was sent said its changes were reflected locally. */
  private allReflected = true;
  private stopped = false;

  constructor(private readonly notifier: Notifier, private readonly onError: (error: unknown) => void = () => {}) {
    // No channel: only to hear of reconnections, and send what waited.
    this.subscription = notifier.subscribe({ channels: [], onNotification: () => {}, onConnected: () => this.flush() });
  }

  signal(events?: readonly OutboxEvent[], reflected = false): void {
    if (this.stopped) return;
    this.pending = true;
    this.allReflected &&= reflected;
    if (events === undefined) this.unknownEvents = true;
    else this.events.push(...events);
    this.flush();
  }

  private flush(): void {
    if (this.pending) this.inFlight ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.pending && !this.stopped && this.notifier.isConnected) {
      const events = this.events;
      const unknown = this.unknownEvents;
      const reflected = this.allReflected;
      this.pending = false;
      this.events = [];
      this.unknownEvents = false;
      this.allReflected = true;
      try {
        // Named: prepared once per notifier connection, not parsed and planned on every hint.
        await this.notifier.query({ name: 'snp-after-commit-hint', text: SEND, values: [JSON.stringify(hintPayloads(events, unknown)), reflected ? HINT_REFLECTED : HINT_ANNOUNCES_EVENTS] });
      } catch (error) {
        if (this.notifier.isConnected) this.onError(error);
        else {
          // Sent after the reconnection.
          this.pending = true;
          this.events.unshift(...events);
          this.unknownEvents ||= unknown;
          this.allReflected &&= reflected;
        }
      }
    }
    this.inFlight = null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.inFlight;
    await this.subscription.unsubscribe();
  }
}
