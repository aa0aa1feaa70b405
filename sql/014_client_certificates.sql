-- Mutual TLS (issue 14): an API client may be a client certificate instead of
-- a bearer token. Such a client has no token at all (token_hash null); its
-- certificate is known by its SHA-256 fingerprint, and by the issuer and
-- subject CN/OU it was registered with (checked again on every lookup). The
-- certificate's notAfter is copied to api_clients.expires_at at registration,
-- so that the certificate's end is the client's end everywhere (cache, sockets).
-- Revocation is api_clients.revoked_at, announced by sql/008's trigger.
alter table api_clients alter column token_hash drop not null;

create table api_client_certificates (
  client_id uuid primary key references api_clients (id) on delete cascade,
  fingerprint_sha256 bytea not null unique check (length(fingerprint_sha256) = 32),
  issuer text not null check (length(issuer) between 1 and 2000),
  subject_cn text check (length(subject_cn) between 1 and 500),
  subject_ou text check (length(subject_ou) between 1 and 500),
  not_after timestamptz not null,
  created_at timestamptz not null default now()
);

-- A certificate refused a moment ago (not yet registered) is remembered as
-- unknown for a few seconds: its registration is announced like any client
-- change, so that every instance forgets that at once.
create function notify_api_client_certificate_registered() returns trigger language plpgsql as $$
begin
  perform pg_notify('api_client_changes', new.client_id::text);
  return null;
end $$;

create trigger api_client_certificates_registered after insert on api_client_certificates
  for each row execute function notify_api_client_certificate_registered();
