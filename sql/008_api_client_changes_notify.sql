-- Every instance caches authenticated tokens for a few seconds. A revoked,
-- expired-early or deleted API client is announced so that each instance drops
-- its cache at once instead of honouring the token until the entry ages out.
create function notify_api_client_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('api_client_changes', old.id::text);
  return null;
end $$;

create trigger api_clients_changed after update or delete on api_clients
  for each row execute function notify_api_client_change();
