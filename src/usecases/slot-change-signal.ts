// "Slots changed, look now", sent after commit by hold/book/release when given
// (src/db/slot-change-hint.ts implements it).
import type { OutboxEvent } from './event-stream-store.js';

export interface SlotChangeSignal {
  /**
   * `events`: the outbox events the write committed, when the writer knows them all
   * (a booking): delivered at once to this instance's sockets and carried by the hint to
   * the other instances'. Absent: whatever was written is found by the outbox passes.
   */
  /**
   * `reflected`: every slot this write changed is already out of this instance's index
   * (`IndexFeed.reflectTaken`), so this instance's catch-up pass may wait; the others look at once.
   */
  signal(events?: readonly OutboxEvent[], reflected?: boolean): void;
}
