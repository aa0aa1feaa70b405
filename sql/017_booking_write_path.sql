-- The write path of a booking, lighter (issue 18). A booking is one statement
-- (src/db/slot-claims.ts); measured with bench/profile-hot-paths.ts it wrote 44
-- WAL records: the slot, the booking, its outbox event, SAS delivery, audit row
-- and idempotency record, their ~30 index entries, and 7 row locks taken by
-- foreign-key checks. This removes 2 index entries and 5 of those locks; every
-- guarantee of a booking stays (one atomic statement, idempotency record, audit
-- row, outbox event, the conditional UPDATE and bookings_one_live_per_slot).

-- 1. Indexes nothing reads. bookings_patient_to_purge (002) was the purge's
--    before bookings_patient_retention (012) covered it (same key, wider
--    predicate; src/db/housekeeping.ts uses the latter). events_recipient (001)
--    served reads by recipient that now go by seq: events_stream_seq (007) has
--    the same (recipient_kind, recipient_id) prefix.
drop index bookings_patient_to_purge;
drop index events_recipient;

-- 2. A foreign-key check locks the parent row (FOR KEY SHARE): one WAL record,
--    and a MultiXact when several transactions hold it, which is the rule for a
--    hot parent: one API client (the SAS platform, a regulation centre) makes
--    every booking of a region, in one territory. Per booking that was the same
--    api_clients row locked three times and the same territories row once.
--    - bookings.territory_id and bookings.professional_id are copied from the
--      claimed slot in the same statement, and that slot is kept by
--      bookings.slot_id (foreign key kept; its row is locked by the claim
--      anyway), whose own keys to territories and professionals stay: a
--      territory or professional with bookings still cannot be deleted.
--    - client_id of bookings, audit rows and idempotency records is the
--      authenticated client. API clients are revoked, not deleted; a deletion
--      of a client something still references is refused below, as the keys did.
--      (Not guarded: a deletion committing while that client's booking is in
--      flight; a deletion is an operator's act on a client revoked first.)
alter table bookings drop constraint bookings_territory_id_fkey, drop constraint bookings_professional_id_fkey,
  drop constraint bookings_client_id_fkey;
alter table audit_log drop constraint audit_log_client_id_fkey;
alter table idempotency_keys drop constraint idempotency_keys_client_id_fkey;

create function api_clients_refuse_delete_if_referenced() returns trigger language plpgsql as $$
begin
  if exists (select 1 from bookings where client_id = old.id)
     or exists (select 1 from idempotency_keys where client_id = old.id)
     or exists (select 1 from audit_log where client_id = old.id) then
    raise foreign_key_violation using
      message = 'api client is still referenced by bookings, idempotency records or audit rows',
      constraint = 'api_clients_referenced';
  end if;
  return old;
end $$;

create trigger api_clients_referenced before delete on api_clients
  for each row execute function api_clients_refuse_delete_if_referenced();
