-- A transaction that calls pg_notify holds a database-wide lock from before its
-- commit record is flushed until after: notifying transactions commit one at a
-- time and lose group commit. Measured on a disk with ~5 ms fsync: 2,000
-- inserts/s at 16 connections, 370/s once each also notifies.
--
-- Hot writers (holds and bookings, src/db/slot-claims.ts) therefore set
-- snp.defer_notify for their transaction and announce the change right after
-- it commits, from a connection with asynchronous commit (src/db/slot-change-hint.ts).
-- Every other writer keeps notifying as before. The notification was only ever
-- a hint: index sync stays correct without it (watermark passes, backstop).
create or replace function slots_notify_change() returns trigger language plpgsql as $$
begin
  if coalesce(current_setting('snp.defer_notify', true), '') <> 'on' then
    perform pg_notify('slot_changes', '');
  end if;
  return null;
end $$;
