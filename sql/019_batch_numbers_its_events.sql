-- A batch of bookings (src/db/booking-batches.ts) numbers its events in the
-- professionals' streams and writes their SAS delivery rows in its own
-- statement, set-based, instead of through two row triggers (issue 18: in a
-- booking run the triggers were 23 % of the booking statement's execution in
-- PostgreSQL, an SPI insert with an executor start-up for every row).
--
-- Every other writer keeps the triggers: events_seq numbers an event whose seq
-- is not given (only the batch statement gives one, from the same counter,
-- event_streams, taken in the same lock order); events_sas_delivery skips the
-- events of a transaction that says it wrote their delivery rows itself
-- (snp.sas_deliveries_written, transaction-local, set by the batch statement
-- before its first insert).
drop trigger events_seq on events;
create trigger events_seq before insert on events
  for each row when (new.seq is null) execute function events_take_seq();

drop trigger events_sas_delivery on events;
create trigger events_sas_delivery after insert on events
  for each row when (new.recipient_kind = 'professional' and new.booking_id is not null
    and new.type in ('booking.created', 'booking.cancelled', 'booking.honoured', 'booking.no-show')
    and coalesce(current_setting('snp.sas_deliveries_written', true), '') <> 'on')
  execute function events_enqueue_sas_delivery();
