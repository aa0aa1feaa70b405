// What the use cases need from the rest of the service. Transports (HTTP,
// WebSocket, FHIR) hold one and call the use cases with it. Every part is an
// interface declared here in src/usecases; adapters (src/db, src/sas/storage)
// implement them and src/service.ts wires them.
import type { FreeSlotIndex } from '../core/index/index.js';
import type { DirectoryStore } from './admin/directory-store.js';
import type { BookingStore } from './booking-store.js';
import type { EventStreamStore } from './event-stream-store.js';
import type { IdempotencyStore } from './idempotency.js';
import type { IndexFeed } from './index-feed.js';
import type { IndicatorStore } from './indicator-store.js';
import type { RuleSetsInForce } from './rule-sets-in-force.js';
import type { SlotChangeSignal } from './slot-change-signal.js';
import type { HoldStore, SlotClaimStore } from './slot-claims.js';
import type { SlotStore } from './slot-target.js';
import type { RequestStore } from './request-store.js';
import type { RuleSetStore } from './rule-set-store.js';
import type { SasAppointmentStore } from './sas-appointment-store.js';
import type { TerritoryLookup } from './territories.js';

/** What is read and written in the system of record, all on one database (the FHIR channel has its own view of it). */
export interface UseCaseStores {
  /** Bookings take their slot through this. */
  slotClaims: SlotClaimStore;
  /** Answers kept under idempotency keys. */
  idempotency: IdempotencyStore;
  /** The outbox streams sockets replay and acknowledge. */
  eventStreams: EventStreamStore;
  holds: HoldStore;
  bookings: BookingStore;
  requests: RequestStore;
  /** Slots read from the system of record when the index does not have them. */
  slots: SlotStore;
  /** Professionals, sites, bands and slots as coordinators change them. */
  directory: DirectoryStore;
  /** Every stored version of each territory's triage rule set. */
  ruleSetVersions: RuleSetStore;
}

export interface UseCaseContext extends UseCaseStores {
  /** The SAS's appointments (src/sas/storage); on the FHIR channel's database in its context. */
  sasAppointments: SasAppointmentStore;
  index: FreeSlotIndex;
  sync: IndexFeed;
  territories: TerritoryLookup;
  now: () => number;
  /** The triage rule set in force per territory, kept current on every instance. */
  ruleSets: RuleSetsInForce;
  /** When given, hold/book/release announce their slot change after commit instead of inside it (sql/004). */
  slotChanges?: SlotChangeSignal;
  indicators: IndicatorStore;
}
