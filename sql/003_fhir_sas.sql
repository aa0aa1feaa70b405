-- The SAS FHIR interface (issue 7): which SAS Appointment a booking is, and the
-- delivery of our booking events to the SAS platform as FrAppointmentSAS.

-- A booking made through POST/PUT /fhir/Appointment keeps the identifier the SAS
-- knows it by: the conditional update finds it, outbound updates reuse it.
-- Written right after the booking commits; a crash in between is repaired by
-- the SAS's retry (the idempotency record still names the booking).
create table fhir_appointments (
  booking_id uuid primary key references bookings (id) on delete cascade,
  client_id uuid not null references api_clients (id),
  identifier_system text not null check (length(identifier_system) between 1 and 500),
  identifier_value text not null check (length(identifier_value) between 1 and 500),
  -- The FrAppointmentOperator identifier of whoever booked or last changed it (no patient data).
  operator jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (identifier_system, identifier_value)
);

-- The SAS's share of the outbox: one row per booking state the SAS platform must
-- learn (created, cancelled, and no-show / honoured once such events exist),
-- written by a trigger in the very transaction that wrote the event, so none is
-- lost. Delivered in event order per booking, at most once per state once
-- accepted; several instances share the work with FOR UPDATE SKIP LOCKED and a lease.
create table sas_deliveries (
  event_id bigint primary key references events (id) on delete cascade,
  booking_id uuid not null,
  state text not null check (state in ('booked', 'cancelled', 'fulfilled', 'noshow')),
  -- skipped: the SAS made this change itself through /fhir, it is not told again.
  status text not null default 'pending' check (status in ('pending', 'delivered', 'skipped')),
  attempts integer not null default 0,
  -- Due time of the next attempt; while one is in flight, the end of its lease.
  next_attempt_at timestamptz not null default now(),
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz not null default now()
);
create index sas_deliveries_due on sas_deliveries (next_attempt_at) where status = 'pending';
create index sas_deliveries_pending_by_booking on sas_deliveries (booking_id, event_id) where status = 'pending';

create function events_enqueue_sas_delivery() returns trigger language plpgsql as $$
begin
  insert into sas_deliveries (event_id, booking_id, state, status)
  values (new.id, new.booking_id,
    case new.type when 'booking.created' then 'booked' when 'booking.cancelled' then 'cancelled'
                  when 'booking.honoured' then 'fulfilled' else 'noshow' end,
    -- The /fhir transport writes through its own pool, named so (src/db/fhir-channel.ts).
    case when current_setting('application_name', true) = 'snp-match:fhir' then 'skipped' else 'pending' end);
  return null;
end $$;

-- The professional's copy of each booking event is the one per state change
-- (a cancellation may also notify the requester: that copy is not counted twice).
create trigger events_sas_delivery after insert on events
  for each row when (new.recipient_kind = 'professional' and new.booking_id is not null
    and new.type in ('booking.created', 'booking.cancelled', 'booking.honoured', 'booking.no-show'))
  execute function events_enqueue_sas_delivery();
