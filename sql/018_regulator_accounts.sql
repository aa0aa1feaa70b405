-- Regulator accounts the SAS platform creates and updates (flux v1, FrPractitionerRegul,
-- issue 14). An account belongs to the API client that created it (the SAS of its
-- territories) and is found again by one of its identifiers: the national one
-- (IDNPS, urn:oid:1.2.250.1.71.4.2.1) or the SAS's internal one (urn:oid:1.2.250.1.213.3.6).
-- One ACTIVE account per identifier and client: a deactivated account's identifier may be
-- given to another account (the SAS's "réattribution").
create table regulator_accounts (
  id uuid primary key default gen_random_uuid(),
  client_id uuid not null references api_clients (id),
  idnps text check (length(idnps) between 1 and 200),
  intrn text check (length(intrn) between 1 and 200),
  family_name text not null check (length(family_name) between 1 and 200),
  given_name text not null check (length(given_name) between 1 and 200),
  email text not null check (length(email) between 3 and 320),
  active boolean not null,
  -- The person who logs in to the booking pages as this regulator (people.login = the RPPS
  -- from the IDNPS "8" + RPPS); null when the account has no such identifier, or the login
  -- already belonged to another person.
  person_id uuid unique references people (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (idnps is not null or intrn is not null)
);
create unique index regulator_accounts_active_idnps on regulator_accounts (client_id, idnps) where active and idnps is not null;
create unique index regulator_accounts_active_intrn on regulator_accounts (client_id, intrn) where active and intrn is not null;
create index regulator_accounts_idnps on regulator_accounts (client_id, idnps);
create index regulator_accounts_intrn on regulator_accounts (client_id, intrn);
