-- Reference data (territories, their communes, professionals, sites) reaches
-- every running instance without a restart (issue 16). Each instance keeps the
-- territories and communes in memory (src/db/territory-directory.ts); a write
-- to them is announced on 'reference_data' so that every instance reloads at
-- once. The payload names the table (a hint for who should look); a
-- notification is only ever a hint: a reload also runs after the notifier
-- reconnects and periodically.
--
-- Professionals and sites reach the slot index through their open slots
-- already (the touch triggers of 001 and the slots' own 'slot_changes'); they
-- are announced here too for the caches that hold them apart from slots.
-- Reference data changes rarely, so the commit-time cost of pg_notify (see 004)
-- does not matter here. Per statement; duplicates within a transaction merge.
create function notify_reference_data_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('reference_data', tg_table_name);
  return null;
end $$;

create trigger territories_notify after insert or update or delete or truncate on territories
  for each statement execute function notify_reference_data_change();
create trigger communes_notify after insert or update or delete or truncate on communes
  for each statement execute function notify_reference_data_change();
create trigger territory_communes_notify after insert or update or delete or truncate on territory_communes
  for each statement execute function notify_reference_data_change();
create trigger professionals_notify after insert or update or delete or truncate on professionals
  for each statement execute function notify_reference_data_change();
create trigger sites_notify after insert or update or delete or truncate on sites
  for each statement execute function notify_reference_data_change();
