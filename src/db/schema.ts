// Kysely's view of the tables in sql/. Keep in step with the migrations.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { BookingStatus, Modality, Orientation, Profession, SlotStatus } from '../core/domain.js';
import type { Role } from '../usecases/client.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface TerritoriesTable {
  id: string;
  name: string;
  time_zone: string;
  organisation_identifier: string | null;
  /** The CPTS's phone number (Organization.telecom), migration 012. */
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  horizon_hours: Generated<number>;
  hold_ttl_seconds: Generated<number>;
  ack_deadline_seconds: Generated<number>;
  created_at: DefaultedTimestamp;
}

export interface CommunesTable {
  code: string;
  name: string;
  population: number | null;
  lat: number;
  lon: number;
}

export interface TerritoryCommunesTable {
  territory_id: string;
  commune_code: string;
}

/** The territories a professional serves (migration 015); its home (professionals.territory_id) is always one. */
export interface ProfessionalTerritoriesTable {
  professional_id: string;
  territory_id: string;
  created_at: DefaultedTimestamp;
}

export interface ProfessionalsTable {
  id: Generated<string>;
  rpps: string;
  territory_id: string;
  family_name: string;
  given_name: string;
  profession: Profession;
  skills: ColumnType<string[], string[] | undefined, string[]>;
  modalities: ColumnType<Modality[], Modality[] | undefined, Modality[]>;
  /** Where the SAS reaches the professional (PractitionerRole.telecom), migration 012. */
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  active: Generated<boolean>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface SitesTable {
  id: Generated<string>;
  professional_id: string;
  commune_code: string;
  label: string | null;
  address: string | null;
  lat: number;
  lon: number;
}

export interface OncallBandsTable {
  id: Generated<string>;
  professional_id: string;
  site_id: string;
  days_of_week: number[];
  local_start: string;
  local_end: string;
  slot_minutes: number;
  modality: Modality;
  valid_from: ColumnType<string, string, string>;
  valid_until: ColumnType<string | null, string | null | undefined, string | null>;
  active: Generated<boolean>;
  created_at: DefaultedTimestamp;
}

export interface SlotsTable {
  id: Generated<string>;
  professional_id: string;
  site_id: string;
  territory_id: string;
  band_id: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  modality: Modality;
  status: ColumnType<SlotStatus, SlotStatus | undefined, SlotStatus>;
  held_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  change_seq: ColumnType<number, never, never>;
  change_xid: ColumnType<string, never, never>;
  created_at: DefaultedTimestamp;
}

export interface SlotTombstonesTable {
  slot_id: string;
  change_seq: ColumnType<number, never, never>;
  change_xid: ColumnType<string, never, never>;
  deleted_at: DefaultedTimestamp;
}

export interface ApiClientsTable {
  id: Generated<string>;
  name: string;
  role: Role;
  territories: string[];
  professional_id: string | null;
  /** Null for a client that authenticates with a certificate (sql/014). */
  token_hash: Buffer | null;
  created_at: DefaultedTimestamp;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export interface PeopleTable {
  id: Generated<string>;
  login: string;
  name: string;
  client_id: string;
  password_hash: string | null;
  created_at: DefaultedTimestamp;
  disabled_at: Date | null;
}

export interface RegulatorAccountsTable {
  id: Generated<string>;
  client_id: string;
  idnps: string | null;
  intrn: string | null;
  family_name: string;
  given_name: string;
  email: string;
  active: boolean;
  person_id: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface PersonSessionsTable {
  id_hash: Buffer;
  person_id: string;
  csrf_token: string;
  created_at: DefaultedTimestamp;
  last_seen_at: DefaultedTimestamp;
  idle_expires_at: Date;
  expires_at: Date;
  ended_at: Date | null;
}

export interface LoginAttemptsTable {
  state_hash: Buffer;
  code_verifier: string;
  nonce: string;
  return_to: string;
  expires_at: Date;
}

export interface ApiClientCertificatesTable {
  client_id: string;
  fingerprint_sha256: Buffer;
  issuer: string;
  subject_cn: string | null;
  subject_ou: string | null;
  not_after: Date;
  created_at: DefaultedTimestamp;
}

export interface RequestsTable {
  id: Generated<string>;
  territory_id: string | null;
  client_id: string | null;
  origin: 'regulator' | 'pharmacist' | 'coordinator' | 'professional';
  commune_code: string | null;
  patient: Json<Record<string, unknown>>;
  complaint: string | null;
  red_flags: ColumnType<string[], string[] | undefined, string[]>;
  triage: Json<unknown> | null;
  orientation: Orientation | null;
  max_delay_minutes: number | null;
  outcome: string;
  candidates_count: Generated<number>;
  created_at: DefaultedTimestamp;
  /** When retention cleared its patient data (sql/012). */
  patient_purged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface HoldsTable {
  id: Generated<string>;
  slot_id: string;
  client_id: string;
  request_id: string | null;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
  released_at: Date | null;
  booked_at: Date | null;
}

export interface BookingsTable {
  id: Generated<string>;
  slot_id: string;
  professional_id: string;
  territory_id: string;
  client_id: string;
  request_id: string | null;
  hold_id: string | null;
  status: ColumnType<BookingStatus, BookingStatus | undefined, BookingStatus>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  patient: Json<Record<string, unknown>> | null;
  patient_purged_at: Date | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  acked_at: Date | null;
  escalated_at: Date | null;
}

export interface IdempotencyKeysTable {
  client_id: string;
  key: string;
  request_hash: Buffer;
  response_status: number;
  response_body: Json<unknown>;
  created_at: DefaultedTimestamp;
}

export interface EventsTable {
  id: Generated<number>;
  recipient_kind: 'professional' | 'territory' | 'client';
  recipient_id: string;
  type: string;
  booking_id: string | null;
  payload: Json<unknown>;
  created_at: DefaultedTimestamp;
  acked_at: Date | null;
  /** Position in the recipient's stream, set by a trigger (sql/007): the eventId clients see. */
  seq: Generated<number>;
  /** The writing transaction (xid8 as text), for discovery by commit. */
  xid: Generated<string>;
}

/** The last position of each recipient's stream (sql/007). */
export interface EventStreamsTable {
  recipient_kind: 'professional' | 'territory' | 'client';
  recipient_id: string;
  last_seq: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: DefaultedTimestamp;
  client_id: string | null;
  request_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  details: Json<Record<string, unknown>>;
}

export interface TriageRuleSetsTable {
  territory_id: string;
  version: number;
  document: Json<unknown>;
  created_at: DefaultedTimestamp;
  created_by: string | null;
  note: string | null;
}

export interface Database {
  territories: TerritoriesTable;
  communes: CommunesTable;
  territory_communes: TerritoryCommunesTable;
  professionals: ProfessionalsTable;
  professional_territories: ProfessionalTerritoriesTable;
  sites: SitesTable;
  oncall_bands: OncallBandsTable;
  slots: SlotsTable;
  slot_tombstones: SlotTombstonesTable;
  api_clients: ApiClientsTable;
  api_client_certificates: ApiClientCertificatesTable;
  requests: RequestsTable;
  holds: HoldsTable;
  bookings: BookingsTable;
  idempotency_keys: IdempotencyKeysTable;
  events: EventsTable;
  event_streams: EventStreamsTable;
  audit_log: AuditLogTable;
  triage_rule_sets: TriageRuleSetsTable;
  people: PeopleTable;
  person_sessions: PersonSessionsTable;
  login_attempts: LoginAttemptsTable;
  regulator_accounts: RegulatorAccountsTable;
}

export type Territory = Selectable<TerritoriesTable>;
export type Professional = Selectable<ProfessionalsTable>;
export type NewProfessional = Insertable<ProfessionalsTable>;
export type Slot = Selectable<SlotsTable>;
export type Booking = Selectable<BookingsTable>;
export type ApiClient = Selectable<ApiClientsTable>;
