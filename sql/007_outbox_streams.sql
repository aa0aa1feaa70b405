-- Push delivery of the outbox (issue 6): a gap-free position of each event in
-- its recipient's stream, a column to find newly committed events, the push
-- hint, and the lookup of bookings awaiting acknowledgement.
--
-- Why per-recipient numbers taken under a row lock, and not events.id: ids come
-- from a sequence when the row is inserted, but transactions commit in any
-- order, so a client that acked 11 could later see 10 commit and `?after=11`
-- would skip it. Here each insert takes the next number of its recipient's
-- stream from event_streams, whose row stays locked until commit: two writers
-- to ONE recipient commit in number order, so once number N is visible every
-- number below it is too. Bookings of different professionals never wait for
-- each other. (Numbering in commit order after the fact, with the xid
-- watermark, would need a single stamping writer and one more durable commit
-- before every push.)
--
-- Lock order, so that stream locks never deadlock: a writer locks the bookings
-- and slots it changes first, then at most one professional OR territory
-- stream, then client streams in ascending id order. A transaction cancelling
-- several bookings (admin/unavailability.ts) locks all of them and blocks the
-- open slots before the first event, and goes through them by client id.
create table event_streams (
  recipient_kind text not null check (recipient_kind in ('professional', 'territory', 'client')),
  recipient_id text not null,
  last_seq bigint not null check (last_seq > 0),
  primary key (recipient_kind, recipient_id)
);

-- xid: the writing transaction, for gap-free discovery by commit (as slots.change_xid).
alter table events
  add column seq bigint,
  add column xid xid8 not null default pg_current_xact_id();

update events e set seq = n.seq
  from (select id, row_number() over (partition by recipient_kind, recipient_id order by id) as seq from events) n
 where n.id = e.id;
insert into event_streams (recipient_kind, recipient_id, last_seq)
select recipient_kind, recipient_id, max(seq) from events group by recipient_kind, recipient_id;

alter table events alter column seq set not null;
create unique index events_stream_seq on events (recipient_kind, recipient_id, seq);
create index events_xid on events (xid);

create function events_take_seq() returns trigger language plpgsql as $$
begin
  insert into event_streams as s (recipient_kind, recipient_id, last_seq)
  values (new.recipient_kind, new.recipient_id, 1)
  on conflict (recipient_kind, recipient_id) do update set last_seq = s.last_seq + 1
  returning s.last_seq into new.seq;
  return new;
end $$;

create trigger events_seq before insert on events
  for each row execute function events_take_seq();

-- "Look for new events now", once per statement. Writers that defer their
-- notifications (sql/004: hot bookings) announce after commit on slot_changes,
-- which the outbox listener hears too. A hint only: every instance also looks
-- after reconnecting and periodically.
create function events_notify() returns trigger language plpgsql as $$
begin
  if coalesce(current_setting('snp.defer_notify', true), '') <> 'on' then
    perform pg_notify('outbox_events', '');
  end if;
  return null;
end $$;

create trigger events_notify after insert on events
  for each statement execute function events_notify();

-- The escalation job looks for live bookings nobody acknowledged.
create index bookings_awaiting_ack on bookings (created_at)
  where status = 'booked' and acked_at is null and escalated_at is null;
