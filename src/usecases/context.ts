// What the use cases need from the rest of the service. Transports (HTTP,
// WebSocket, FHIR) hold one and call the use cases with it.
import type { SlotIndex } from '../core/index/index.js';
import type { DatabaseHandle } from '../db/database.js';
import type { RuleSetRegistry } from '../db/rule-sets/rule-set-registry.js';
import type { SlotChangeSignal } from '../db/slot-change-hint.js';
import type { IndexSync } from '../db/sync/index-sync.js';
import type { TerritoryDirectory } from '../db/territory-directory.js';
import type { IdempotencyStore } from './idempotency.js';
import type { IndicatorStore } from './indicator-store.js';
import type { SlotClaimStore } from './slot-claims.js';

export interface UseCaseContext {
  database: DatabaseHandle;
  index: SlotIndex;
  sync: IndexSync;
  territories: TerritoryDirectory;
  now: () => number;
  /** The triage rule set in force per territory, kept current on every instance. */
  ruleSets: RuleSetRegistry;
  /** When given, hold/book/release announce their slot change after commit instead of inside it (sql/004). */
  slotChanges?: SlotChangeSignal;
  /** Bookings take their slot through this, on the same pool as `database`. */
  slotClaims: SlotClaimStore;
  indicators: IndicatorStore;
  /** Answers kept under idempotency keys, read on the same pool as `database`. */
  idempotency: IdempotencyStore;
}
