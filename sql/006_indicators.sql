-- Indexes for the SNP indicators and the outbox gauge (issue 9). No new tables:
-- the indicators are read from the system of record as it is.

-- The booking(s) that answered a request: requests of a period join their bookings.
create index bookings_request on bookings (request_id) where request_id is not null;

-- Appointments of a territory scheduled in a period (cancellations, no-shows).
create index bookings_territory_start on bookings (territory_id, starts_at);

-- On-call band slots of a territory in a period (fill rate); slots_open_by_start
-- only covers free and held slots.
create index slots_band_by_start on slots (territory_id, starts_at) include (professional_id, status) where band_id is not null;

-- Requests from a commune outside every territory carry no territory: they are
-- attributed through the requesting client's territories.
create index requests_without_territory_created on requests (created_at) where territory_id is null;

-- The outbox backlog gauge counts unacknowledged events at every scrape.
create index events_unacked on events (recipient_kind) where acked_at is null;
