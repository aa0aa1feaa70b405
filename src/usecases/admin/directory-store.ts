// What the coordinator use cases read and write in the directory
// (professionals, sites, bands, slots). Records carry the column names of the
// system of record, so PostgreSQL's rows satisfy them as they are
// (src/db/stores/directory.ts implements it; src/service.ts wires it). Each
// write is one transaction with its audit row.
import type { Modality, Profession, SlotStatus } from '../../core/domain.js';
import type { Actor } from '../actor.js';

export interface ProfessionalRecord {
  id: string;
  rpps: string;
  /** The home territory: the CPTS that manages the record (migration 015). */
  territory_id: string;
  /** Every territory the professional serves, sorted; the home is one of them. */
  territories: string[];
  family_name: string;
  given_name: string;
  profession: Profession;
  skills: string[];
  modalities: Modality[];
  active: boolean;
}

export interface SiteRecord {
  id: string;
  professional_id: string;
  commune_code: string;
  label: string | null;
  address: string | null;
  lat: number;
  lon: number;
}

export interface BandRecord {
  id: string;
  professional_id: string;
  site_id: string;
  days_of_week: number[];
  local_start: string;
  local_end: string;
  slot_minutes: number;
  modality: Modality;
  valid_from: string;
  valid_until: string | null;
}

export interface CalendarBandRecord extends BandRecord {
  /** The professional's home territory (the band's), and every territory it serves. */
  territory_id: string;
  territories: string[];
  rpps: string;
  family_name: string;
  given_name: string;
  site_label: string | null;
  commune_code: string;
}

export interface NewBand {
  professionalId: string;
  siteId: string;
  daysOfWeek: number[];
  localStart: string;
  localEnd: string;
  slotMinutes: number;
  modality: Modality;
  validFrom: string;
  validUntil: string | null;
}

/** A band's new rule (every field of the rule, after the edit): a new band's, its professional kept. */
export type BandChanges = Omit<NewBand, 'professionalId'>;

/** What editing a band did to its slots from `from` on. */
export type BandEditOutcome =
  | { updated: true; band: BandRecord; slotsCreated: number; slotsRemoved: number; slotsKeptBlocked: number; bookingsKept: string[]; newlyBlocked: number }
  | { updated: false; heldSlots: string[] };

export interface NewProfessionalRecord {
  rpps: string;
  territory: string;
  familyName: string;
  givenName: string;
  profession: Profession;
  skills: string[];
  modalities: Modality[];
}

export interface ProfessionalChanges {
  family_name?: string;
  given_name?: string;
  skills?: string[];
  modalities?: Modality[];
  active?: boolean;
}

export interface NewSite {
  commune: string;
  label: string | null;
  address: string | null;
  lat: number;
  lon: number;
}

export interface NewSlot {
  professionalId: string;
  siteId: string;
  territoryId: string;
  start: Date;
  end: Date;
  modality: Modality;
}

export interface SlotRecord {
  id: string;
  professional_id: string;
  site_id: string;
  territory_id: string;
  starts_at: Date;
  ends_at: Date;
  modality: Modality;
  status: SlotStatus;
  held_until: Date | null;
  time_zone: string;
}

export interface CalendarSlotRecord extends SlotRecord {
  band_id: string | null;
  rpps: string;
  family_name: string;
  given_name: string;
  profession: Profession;
}

export interface Unavailability {
  from: Date;
  until: Date;
  reason: string;
}

export interface DirectoryStore {
  professional(id: string): Promise<ProfessionalRecord | undefined>;
  professionalByRpps(rpps: string): Promise<ProfessionalRecord | undefined>;
  /** The professionals serving any of these territories (home or membership). */
  professionalsOf(territories: readonly string[]): Promise<ProfessionalRecord[]>;
  /** False when the professional already served the territory. Audited. */
  addMembership(actor: Actor, professionalId: string, territory: string): Promise<boolean>;
  /** False when the professional did not serve the territory. Audited. Never the home (the caller checks; a deferred key refuses it anyway). */
  removeMembership(actor: Actor, professionalId: string, territory: string): Promise<boolean>;
  /** Throws PostgreSQL's unique violation (23505) when the RPPS is taken. */
  createProfessional(actor: Actor, input: NewProfessionalRecord): Promise<ProfessionalRecord>;
  /** `fields`: the input's names, for the audit row. */
  updateProfessional(actor: Actor, id: string, set: ProfessionalChanges, fields: string[]): Promise<ProfessionalRecord>;
  site(id: string): Promise<SiteRecord | undefined>;
  /** The sites of these professionals, by label. */
  sitesOf(professionalIds: readonly string[]): Promise<SiteRecord[]>;
  commune(code: string): Promise<{ code: string; lat: number; lon: number } | undefined>;
  createSite(actor: Actor, professionalId: string, input: NewSite): Promise<SiteRecord>;
  activeBandsOf(professionalId: string): Promise<BandRecord[]>;
  createBand(actor: Actor, input: NewBand): Promise<BandRecord>;
  /** Active bands of the professionals serving any of these territories (home or member), valid on some day of [fromDate, untilDate], with names. */
  bandsOf(territories: readonly string[], fromDate: string, untilDate: string): Promise<CalendarBandRecord[]>;
  band(id: string): Promise<(BandRecord & { active: boolean }) | undefined>;
  /**
   * Cancels a band from `from` on, in one transaction: its open slots (free, blocked, expired hold)
   * are deleted (blocked instead when a past hold or booking references them), the band stops being materialised. When a live booking or hold remains on one
   * of its slots nothing changes and the bookings are returned instead (the caller refuses).
   */
  cancelBand(actor: Actor, id: string, from: Date): Promise<{ cancelled: true; slotsRemoved: number; slotsKeptBlocked: number; newlyBlocked: number } | { cancelled: false; bookings: string[]; heldSlots: string[] }>;
  /**
   * Edits an active band from `from` on, in one transaction: its open slots (free, blocked, expired hold) that the
   * edited band still produces (same start, end, site and modality) stay as they are (a block is kept); the others are
   * deleted (blocked instead when a past hold or booking references them); the edited band is then materialised over
   * [from, until). A booked slot is never touched: one the edited band no longer produces stays booked, its booking
   * returned in `bookingsKept`. A live hold on a slot the band no longer produces: nothing changes (the caller refuses).
   */
  updateBand(actor: Actor, id: string, rule: BandChanges, fields: string[], from: Date, until: Date): Promise<BandEditOutcome>;
  /** Idempotent; the rolling horizon does it too. */
  materialiseBand(bandId: string, from: Date, until: Date): Promise<{ inserted: number }>;
  /** With its territory's zone; throws when there is no such slot. */
  slot(id: string): Promise<SlotRecord>;
  slotScope(id: string): Promise<{ id: string; territory_id: string; status: SlotStatus } | undefined>;
  /** A territory's slots starting in [from, until), earliest first, at most `limit`, with their professional. */
  slotsOf(territoryId: string, from: Date, until: Date, limit: number): Promise<CalendarSlotRecord[]>;
  /** Its id; throws PostgreSQL's exclusion violation (23P01) when it overlaps another slot of the professional. */
  createSlot(actor: Actor, input: NewSlot): Promise<string>;
  /** A free or held slot becomes blocked; false when it was neither. */
  /** The slot's change sequence as the block committed it; undefined when it was not free or held. */
  blockSlot(actor: Actor, id: string, reason: string | null): Promise<{ changeSeq: number } | undefined>;
  /** True when it was blocked and is now free. */
  unblockSlot(actor: Actor, id: string): Promise<boolean>;
  /** Over the period: open slots blocked, live bookings cancelled with their slot blocked, in one transaction. */
  markUnavailable(actor: Actor, professionalId: string, period: Unavailability): Promise<UnavailabilityOutcome>;
}

/** What marking a professional unavailable did; `blocked` carries each blocked slot's change sequence (read-your-writes). */
export interface UnavailabilityOutcome {
  blockedSlots: number;
  cancelledBookings: string[];
  blocked: { id: string; changeSeq: number }[];
}
