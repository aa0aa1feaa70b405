-- Changes the SAS made itself through /fhir are not echoed back to it (sql/003).
-- The /fhir transport used to write through a pool of its own, recognised here
-- by its application_name; that cost every instance extra connections. It now
-- writes through the shared pool and marks each of its transactions with the
-- transaction-local setting snp.channel = 'fhir' (src/sas/storage/fhir-channel.ts),
-- which ends with the transaction and so never leaks to the pool's next user.
create or replace function events_enqueue_sas_delivery() returns trigger language plpgsql as $$
begin
  insert into sas_deliveries (event_id, booking_id, state, status)
  values (new.id, new.booking_id,
    case new.type when 'booking.created' then 'booked' when 'booking.cancelled' then 'cancelled'
                  when 'booking.honoured' then 'fulfilled' else 'noshow' end,
    case when current_setting('snp.channel', true) = 'fhir'
              -- An instance still running the code before this migration (a rolling upgrade).
              or current_setting('application_name', true) = 'snp-match:fhir'
         then 'skipped' else 'pending' end);
  return null;
end $$;
