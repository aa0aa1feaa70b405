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
import { SLOT_CHANGES_CHANNEL } from './notifications/channels.js';
import type { Notifier, Subscription } from './notifications/notifier.js';

import type { SlotChangeSignal } from '../usecases/slot-change-signal.js';

export type { SlotChangeSignal } from '../usecases/slot-change-signal.js';

export class SlotChangeHint implements SlotChangeSignal {
  private readonly subscription: Subscription;
  private inFlight: Promise<void> | null = null;
  private pending = false;
  private stopped = false;

  constructor(private readonly notifier: Notifier, private readonly onError: (error: unknown) => void = () => {}) {
    // No channel: only to hear of reconnections, and send what waited.
    this.subscription = notifier.subscribe({ channels: [], onNotification: () => {}, onConnected: () => this.flush() });
  }

  signal(): void {
    if (this.stopped) return;
    this.pending = true;
    this.flush();
  }

  private flush(): void {
    if (this.pending) this.inFlight ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.pending && !this.stopped && this.notifier.isConnected) {
      this.pending = false;
      try {
        await this.notifier.query({ text: `select pg_notify('${SLOT_CHANGES_CHANNEL}', '')` });
      } catch (error) {
        if (this.notifier.isConnected) this.onError(error);
        else this.pending = true; // sent after the reconnection
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
