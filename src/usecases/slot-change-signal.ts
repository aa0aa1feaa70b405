// "Slots changed, look now", sent after commit by hold/book/release when given
// (src/db/slot-change-hint.ts implements it).
export interface SlotChangeSignal {
  signal(): void;
}
