// The values the index holds and answers with. They are immutable by contract:
// on upsert the index files a slot by territory, profession and start, and
// copies what it filters on (skills, site coordinates), so a professional or
// site that changes gets a new object and its slots are upserted again.
import type { Modality, Profession } from '../domain.js';

/** One professional, shared by all of its slots (one object, many slots). */
export interface ProfessionalInfo {
  readonly id: string;
  readonly rpps: string;
  readonly name: string;
  readonly profession: Profession;
  readonly skills: readonly string[];
  /**
   * Every territory (CPTS) the professional serves, when known. Its slots are
   * offered in each of them besides their own territoryId (see served-slot-index.ts).
   * Absent: the slot's own territory only.
   */
  readonly territories?: readonly string[];
}

/** One practice site, shared by all the slots held there. */
export interface SiteInfo {
  readonly id: string;
  readonly commune: string;
  readonly lat: number;
  readonly lon: number;
}

/** A free slot. start/end are epoch milliseconds; seq is the row's change sequence. */
export interface FreeSlot {
  readonly id: string;
  /** The territory that organised the slot (slots.territory_id); see servedTerritories(). */
  readonly territoryId: string;
  readonly professional: ProfessionalInfo;
  readonly site: SiteInfo;
  readonly modality: Modality;
  readonly start: number;
  readonly end: number;
  readonly seq: number;
}

/**
 * What a requester wants. The caller clamps [from, until) to the SNP horizon;
 * the index still never returns a slot outside it.
 */
export interface MatchQuery {
  readonly territoryId: string;
  readonly professions: readonly Profession[];
  /** Every one of these must be among the professional's skills. */
  readonly skills: readonly string[];
  /** Empty means any modality. */
  readonly modalities: readonly Modality[];
  /** Inclusive lower bound on start, epoch ms. */
  readonly from: number;
  /** Exclusive upper bound on start, epoch ms. */
  readonly until: number;
  /** When given, every candidate carries its distance from this point. */
  readonly near?: { readonly lat: number; readonly lon: number };
  /** Only applies together with near. */
  readonly maxDistanceKm?: number;
  readonly limit: number;
  /** Slots to skip, e.g. the one a requester just lost a race for. */
  readonly excludeSlotIds?: ReadonlySet<string>;
}

export interface Candidate {
  readonly slot: FreeSlot;
  /** Great-circle distance from query.near, or null when no point was given. */
  readonly distanceKm: number | null;
}
