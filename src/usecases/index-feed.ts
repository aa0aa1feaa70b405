// What the use cases (and the transports holding their context) need from
// the process that keeps the in-memory index equal to the system of record
// (src/db/sync/index-sync.ts implements it).
export interface SlotAvailabilityChange {
  slotId: string;
  territoryId: string | null;
  available: boolean;
}

export interface IndexFeed {
  status(): { loaded: boolean };
  /** Resolves once everything committed before the call is in the index. */
  catchUp(): Promise<void>;
  /**
   * Read-your-writes: drops a slot this instance's own committed write just took
   * (held, booked, blocked) at `changeSeq`, before the answer goes out.
   */
  reflectTaken(slotId: string, changeSeq: number): void;
  /** Called for each slot that becomes matchable or stops being so. */
  onChange(listener: (change: SlotAvailabilityChange) => void): () => void;
}
