-- People who log in to the web app (issue 17). A person acts through an API
-- client of its own (role, territories, professional: the same rules and the
-- same foreign keys as every other caller), whose token_hash is random and
-- never shown: a person has no token, only sessions.
create table people (
  id uuid primary key default gen_random_uuid(),
  -- What the OpenID provider says this person is: the RPPS for health
  -- professionals (Pro Santé Connect), a local login on the embedded provider.
  login text not null unique check (length(login) between 1 and 200),
  name text not null check (length(name) between 1 and 200),
  client_id uuid not null unique references api_clients (id),
  -- scrypt (src/auth/passwords.ts); only for the embedded provider's accounts.
  password_hash text,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);

-- Browser sessions: the cookie holds 256 random bits, the database their SHA-256.
create table person_sessions (
  id_hash bytea primary key check (length(id_hash) = 32),
  person_id uuid not null references people (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  idle_expires_at timestamptz not null,
  expires_at timestamptz not null,
  ended_at timestamptz
);
create index person_sessions_person on person_sessions (person_id);
create index person_sessions_expires on person_sessions (expires_at);

-- A login in progress (authorization code + PKCE): the state in the browser's
-- cookie, the verifier and nonce here, so that any instance can finish it.
create table login_attempts (
  state_hash bytea primary key check (length(state_hash) = 32),
  code_verifier text not null,
  nonce text not null,
  return_to text not null,
  expires_at timestamptz not null
);

-- A session that ends (logout, its expiry moved, deletion) is announced
-- on the API client channel (sql/008): sockets bound to it re-check. (A person
-- disabled revokes its client, announced by sql/008 itself.) The idle expiry,
-- pushed once a minute by use, is not announced: an open socket is use.
create function notify_person_session_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('api_client_changes', (select client_id::text from people where id = old.person_id));
  return null;
end $$;

create trigger person_sessions_changed after update of ended_at, expires_at or delete on person_sessions
  for each row execute function notify_person_session_change();
