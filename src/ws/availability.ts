// Live availability for counter sockets: slots of the client's territories
// taken or freed, COALESCED per socket. Changes land in a map (slot → latest
// state) flushed every ~100 ms as one message; while the socket still has
// more than `highWaterBytes` unsent, the flush is skipped and the map keeps
// only the latest state of each slot. Past `maxPending` distinct slots the map
// is dropped and the next message says `overflow: true` (match again). So a
// slow client costs at most one bounded map, never an unbounded send queue.
import type { SlotAvailabilityChange } from '../db/sync/index-sync.js';
import type { Connection } from './connection.js';

export interface AvailabilityLimits {
  highWaterBytes: number;
  maxPending: number;
}

export class AvailabilityBuffer {
  private readonly pending = new Map<string, { territory: string; available: boolean }>();
  private overflow = false;

  constructor(private readonly connection: Connection, readonly territories: readonly string[], private readonly limits: AvailabilityLimits) {}

  add(change: SlotAvailabilityChange & { territoryId: string }): void {
    if (this.overflow) return;
    this.pending.set(change.slotId, { territory: change.territoryId, available: change.available });
    if (this.pending.size > this.limits.maxPending) {
      this.pending.clear();
      this.overflow = true;
    }
  }

  flush(): void {
    if (this.pending.size === 0 && !this.overflow) return;
    if (!this.connection.isOpen || this.connection.socket.bufferedAmount > this.limits.highWaterBytes) return;
    const changes = [...this.pending].map(([slotId, { territory, available }]) => ({ slotId, territory, available }));
    this.connection.send({ type: 'availability', changes, ...(this.overflow ? { overflow: true } : {}) });
    this.pending.clear();
    this.overflow = false;
  }
}

/** Fans index changes out to the buffers of the sockets of each territory. */
export class AvailabilityFanout {
  private readonly byTerritory = new Map<string, Set<AvailabilityBuffer>>();

  add(buffer: AvailabilityBuffer): () => void {
    for (const territory of buffer.territories) {
      let set = this.byTerritory.get(territory);
      if (set === undefined) this.byTerritory.set(territory, set = new Set());
      set.add(buffer);
    }
    return () => {
      for (const territory of buffer.territories) {
        const set = this.byTerritory.get(territory);
        set?.delete(buffer);
        if (set?.size === 0) this.byTerritory.delete(territory);
      }
    };
  }

  publish(change: SlotAvailabilityChange): void {
    const territoryId = change.territoryId;
    if (territoryId === null) return;
    for (const buffer of this.byTerritory.get(territoryId) ?? []) buffer.add({ ...change, territoryId });
  }

  flush(): void {
    for (const set of this.byTerritory.values()) for (const buffer of set) buffer.flush();
  }
}
