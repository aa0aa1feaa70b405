// Read-your-writes for the slots this instance takes (a hold, a booking, a
// block): the use case drops the slot from the local index as soon as its
// write has committed, before it answers, instead of waiting for the NOTIFY
// round trip and a catch-up pass.
//
// Why a local drop and not an awaited catch-up pass: holds and bookings are the
// hot path, and a pass costs a pooled connection and a round trip, queued
// behind any pass already running. The committed change is known exactly (the
// write returns the row's new change_seq), and making a slot unmatchable needs
// nothing but its id. Writes that make a slot matchable again (cancel, release,
// unblock) are rare and await a pass instead: building a FreeSlot needs the
// row, its professional and its site, which the pass reads from PostgreSQL.
//
// The index = PostgreSQL invariant rests on change_seq: a row's change_seq
// grows with each committed write of that row (the BEFORE trigger takes it
// once the row lock is held, so two writers of one row get them in commit
// order). Two races are covered:
// - a pass whose snapshot predates the write may apply the older row after
//   the drop and bring the slot back: rows older than the local write are
//   skipped until a pass that began after it has completed (its snapshot holds
//   the write, and every later pass reads from there on);
// - a pass may have applied a later change (someone freed the slot again) before
//   the drop: the drop is skipped when the index already knows a newer version.
export class RecentLocalWrites {
  /** slot id → the change_seq this instance committed, and how many passes had begun then. */
  private readonly writes = new Map<string, { seq: number; passesBegun: number }>();

  record(slotId: string, seq: number, passesBegun: number): void {
    const known = this.writes.get(slotId);
    if (known === undefined || known.seq < seq) this.writes.set(slotId, { seq, passesBegun });
  }

  /** True when a row read by a pass is older than this instance's own committed write of it. */
  isStale(slotId: string, seq: number): boolean {
    if (this.writes.size === 0) return false; // the common case, without hashing the id
    const write = this.writes.get(slotId);
    if (write === undefined) return false;
    if (seq < write.seq) return true;
    // The pass sees this write or a later one: it is the truth from now on.
    this.writes.delete(slotId);
    return false;
  }

  /** Pass number `pass` (counted from 1 as they begin) has been applied: it read every write recorded before it began. */
  settle(pass: number): void {
    for (const [slotId, write] of this.writes) if (write.passesBegun < pass) this.writes.delete(slotId);
  }

  get size(): number {
    return this.writes.size;
  }
}
