-- The system of record (SPEC §3). Frozen once released: later changes go in new files.
create extension if not exists btree_gist;

-- RPPS: 11 digits, the last a Luhn check digit (same rule as src/core/rpps.ts).
create function is_valid_rpps(v text) returns boolean
language sql immutable strict parallel safe as $$
  select v ~ '^[0-9]{11}$' and (
    select sum(case when i % 2 = 0
                    then (case when d * 2 > 9 then d * 2 - 9 else d * 2 end)
                    else d end)
    from (select i, substr(v, i, 1)::int as d from generate_series(1, 11) as i) digits
  ) % 10 = 0
$$;

create table territories (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text not null check (length(name) between 1 and 200),
  time_zone text not null,
  -- IDNST / FINESS of the CPTS organisation, as the SAS FHIR profiles expect it.
  organisation_identifier text,
  horizon_hours integer not null default 48 check (horizon_hours between 1 and 48),
  hold_ttl_seconds integer not null default 180 check (hold_ttl_seconds between 10 and 3600),
  ack_deadline_seconds integer not null default 600 check (ack_deadline_seconds between 30 and 86400),
  created_at timestamptz not null default now()
);

-- Official INSEE communes (codes, names, populations) with a centre point used for distances.
create table communes (
  code text primary key check (code ~ '^([0-9]{5}|2[AB][0-9]{3})$'),
  name text not null,
  population integer check (population >= 0),
  lat double precision not null check (lat between -90 and 90),
  lon double precision not null check (lon between -180 and 180)
);

-- A commune belongs to at most one CPTS, so "the patient's commune" names one territory.
create table territory_communes (
  territory_id text not null references territories (id) on delete cascade,
  commune_code text not null unique references communes (code),
  primary key (territory_id, commune_code)
);

create table professionals (
  id uuid primary key default gen_random_uuid(),
  rpps text not null unique check (is_valid_rpps(rpps)),
  territory_id text not null references territories (id),
  family_name text not null check (length(family_name) between 1 and 100),
  given_name text not null check (length(given_name) between 1 and 100),
  profession text not null check (profession in ('gp', 'nurse', 'physio', 'pharmacist', 'midwife', 'dentist', 'paediatrician')),
  skills text[] not null default '{}',
  modalities text[] not null default '{office}' check (modalities <@ array['office', 'home', 'video'] and cardinality(modalities) > 0),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index professionals_territory on professionals (territory_id);

create table sites (
  id uuid primary key default gen_random_uuid(),
  professional_id uuid not null references professionals (id) on delete cascade,
  commune_code text not null references communes (code),
  label text,
  address text,
  lat double precision not null check (lat between -90 and 90),
  lon double precision not null check (lon between -180 and 180)
);
create index sites_professional on sites (professional_id);

create table oncall_bands (
  id uuid primary key default gen_random_uuid(),
  professional_id uuid not null references professionals (id) on delete cascade,
  site_id uuid not null references sites (id) on delete cascade,
  -- ISO days: 1 = Monday … 7 = Sunday.
  days_of_week smallint[] not null check (days_of_week <@ array[1, 2, 3, 4, 5, 6, 7]::smallint[] and cardinality(days_of_week) > 0),
  local_start time not null,
  local_end time not null,
  slot_minutes integer not null check (slot_minutes between 5 and 240),
  modality text not null check (modality in ('office', 'home', 'video')),
  valid_from date not null,
  valid_until date check (valid_until is null or valid_until >= valid_from),
  active boolean not null default true,
  created_at timestamptz not null default now()
);
create index oncall_bands_professional on oncall_bands (professional_id);

-- Every write to a slot takes a new change sequence (for humans and per-slot ordering)
-- and records the writing transaction (for a gap-free catch-up: see src/db/slot-changes.ts).
create sequence slot_change_seq;

create table slots (
  id uuid primary key default gen_random_uuid(),
  professional_id uuid not null references professionals (id),
  site_id uuid not null references sites (id),
  territory_id text not null references territories (id),
  band_id uuid references oncall_bands (id) on delete set null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  modality text not null check (modality in ('office', 'home', 'video')),
  -- 'held' is only true while held_until is in the future: an expired hold is a free slot,
  -- whatever process did or did not run in between.
  status text not null default 'free' check (status in ('free', 'held', 'booked', 'blocked')),
  held_until timestamptz,
  change_seq bigint not null default 0,
  change_xid xid8 not null default pg_current_xact_id(),
  created_at timestamptz not null default now(),
  check (ends_at > starts_at),
  check ((status = 'held') = (held_until is not null)),
  -- A professional cannot be in two slots at once.
  constraint slots_no_overlap exclude using gist (professional_id with =, tstzrange(starts_at, ends_at) with &&),
  -- Materialising a band twice yields the same rows.
  constraint slots_band_start unique (band_id, starts_at)
);
create index slots_change_xid on slots (change_xid);
create index slots_open_by_start on slots (territory_id, starts_at) where status in ('free', 'held');
create index slots_professional_start on slots (professional_id, starts_at);

-- Deleted slots leave a tombstone so that a catching-up index can drop them too.
create table slot_tombstones (
  slot_id uuid not null,
  change_seq bigint not null,
  change_xid xid8 not null default pg_current_xact_id(),
  deleted_at timestamptz not null default now()
);
create index slot_tombstones_change_xid on slot_tombstones (change_xid);

create function slots_stamp_change() returns trigger language plpgsql as $$
begin
  new.change_seq := nextval('slot_change_seq');
  new.change_xid := pg_current_xact_id();
  return new;
end $$;

create function slots_record_tombstone() returns trigger language plpgsql as $$
begin
  insert into slot_tombstones (slot_id, change_seq) values (old.id, nextval('slot_change_seq'));
  return old;
end $$;

-- One notification per statement, not per row: it is only a hint to look.
create function slots_notify_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('slot_changes', '');
  return null;
end $$;

create trigger slots_stamp before insert or update on slots
  for each row execute function slots_stamp_change();
create trigger slots_tombstone after delete on slots
  for each row execute function slots_record_tombstone();
create trigger slots_notify after insert or update or delete on slots
  for each statement execute function slots_notify_change();

-- A change to a professional or a site changes what the index knows of its open slots.
create function touch_open_slots_of_professional() returns trigger language plpgsql as $$
begin
  update slots set status = status
   where professional_id = coalesce(new.professional_id, old.professional_id)
     and ends_at > now() and status in ('free', 'held');
  return null;
end $$;

create function touch_open_slots_of_professional_row() returns trigger language plpgsql as $$
begin
  update slots set status = status
   where professional_id = new.id and ends_at > now() and status in ('free', 'held');
  return null;
end $$;

create trigger sites_touch_slots after update on sites
  for each row execute function touch_open_slots_of_professional();
create trigger professionals_touch_slots after update on professionals
  for each row execute function touch_open_slots_of_professional_row();

create table api_clients (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  role text not null check (role in ('regulator', 'pharmacist', 'professional', 'coordinator')),
  territories text[] not null check (cardinality(territories) > 0),
  professional_id uuid references professionals (id),
  -- SHA-256 of the token: tokens are 256 random bits, so a fast hash is enough.
  token_hash bytea not null unique check (length(token_hash) = 32),
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  check ((role = 'professional') = (professional_id is not null))
);

create table requests (
  id uuid primary key default gen_random_uuid(),
  territory_id text references territories (id),
  client_id uuid references api_clients (id),
  origin text not null check (origin in ('regulator', 'pharmacist', 'coordinator', 'professional')),
  commune_code text,
  patient jsonb not null default '{}',
  complaint text,
  red_flags text[] not null default '{}',
  triage jsonb,
  orientation text check (orientation in ('call-15', 'pharmacy-protocol', 'book')),
  max_delay_minutes integer,
  outcome text not null,
  candidates_count integer not null default 0,
  created_at timestamptz not null default now()
);
create index requests_territory_created on requests (territory_id, created_at);

create table holds (
  id uuid primary key default gen_random_uuid(),
  slot_id uuid not null references slots (id),
  client_id uuid not null references api_clients (id),
  request_id uuid references requests (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  released_at timestamptz,
  booked_at timestamptz
);
create index holds_slot on holds (slot_id);

create table bookings (
  id uuid primary key default gen_random_uuid(),
  slot_id uuid not null references slots (id),
  professional_id uuid not null references professionals (id),
  territory_id text not null references territories (id),
  client_id uuid not null references api_clients (id),
  request_id uuid references requests (id),
  hold_id uuid references holds (id),
  status text not null default 'booked' check (status in ('booked', 'cancelled', 'no-show', 'honoured')),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  -- Minimal patient data: what the professional needs to call the patient back.
  patient jsonb,
  patient_purged_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  cancelled_at timestamptz,
  cancelled_by uuid references api_clients (id),
  cancel_reason text,
  acked_at timestamptz,
  escalated_at timestamptz
);
-- A slot carries at most one live booking.
create unique index bookings_one_live_per_slot on bookings (slot_id) where status <> 'cancelled';
create index bookings_professional on bookings (professional_id, starts_at);
create index bookings_territory_created on bookings (territory_id, created_at);

create table idempotency_keys (
  client_id uuid not null references api_clients (id),
  key text not null check (length(key) between 1 and 200),
  request_hash bytea not null,
  response_status integer not null,
  response_body jsonb not null,
  created_at timestamptz not null default now(),
  primary key (client_id, key)
);

-- The outbox: what a professional, a territory or a requester must be told, in order.
create table events (
  id bigserial primary key,
  recipient_kind text not null check (recipient_kind in ('professional', 'territory', 'client')),
  recipient_id text not null,
  type text not null,
  booking_id uuid references bookings (id),
  payload jsonb not null,
  created_at timestamptz not null default now(),
  acked_at timestamptz
);
create index events_recipient on events (recipient_kind, recipient_id, id);

create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  client_id uuid references api_clients (id),
  request_id text,
  action text not null,
  entity text not null,
  entity_id text,
  details jsonb not null default '{}'
);
create index audit_log_entity on audit_log (entity, entity_id);

-- Triage rule sets per territory, every version kept; the highest version is in force.
create table triage_rule_sets (
  territory_id text not null references territories (id) on delete cascade,
  version integer not null check (version > 0),
  document jsonb not null,
  created_at timestamptz not null default now(),
  created_by uuid references api_clients (id),
  note text,
  primary key (territory_id, version)
);
