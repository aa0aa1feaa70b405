-- Indexes for holds, bookings and their housekeeping (issue 5). No new tables:
-- 001 already holds everything; these keep the periodic jobs and the scoped
-- lists off sequential scans.

-- The hold sweeper looks for holds past their time (correctness never needs it).
create index slots_held_until on slots (held_until) where status = 'held';

-- A requester lists its own bookings.
create index bookings_client_start on bookings (client_id, starts_at);

-- The retention purge finds ended bookings that still carry patient data.
create index bookings_patient_to_purge on bookings (ends_at) where patient is not null;

-- Outbox rows of a booking (the purge strips patient data from them too).
create index events_booking on events (booking_id) where booking_id is not null;

-- Old idempotency keys are dropped after their replay window.
create index idempotency_keys_created on idempotency_keys (created_at);

-- A client's live holds (release, booking from a hold).
create index holds_client_slot on holds (client_id, slot_id) where released_at is null and booked_at is null;
