-- Professionals in several CPTS (issue 14). A professional may serve several
-- territories; the SAS shows each of its slots under every CPTS it serves
-- (one "604" HealthcareService reference per CPTS on the Slot).
--
-- professionals.territory_id stays, with a narrower meaning: the HOME territory,
-- the CPTS that manages the professional's record (its coordinators edit it,
-- its bands and ad-hoc slots are organised there unless said otherwise). It is
-- always one of the memberships: a membership is made for it by trigger, and a
-- deferred foreign key refuses a transaction that would leave it out. Keeping the
-- column (rather than moving everything into the new table) keeps every existing
-- reader and writer of it correct, and the common case (one CPTS) one row.
--
-- slots.territory_id keeps its meaning too: the CPTS that organised the slot
-- (it counts the slot in its fill rate). A slot is offered in that territory and
-- in every territory its professional serves; a booking belongs to the territory
-- it was made in (bookings.territory_id, chosen by the booking statement).
create table professional_territories (
  professional_id uuid not null references professionals (id) on delete cascade,
  territory_id text not null references territories (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (professional_id, territory_id)
);
create index professional_territories_territory on professional_territories (territory_id);

insert into professional_territories (professional_id, territory_id)
  select id, territory_id from professionals;

create function professionals_home_membership() returns trigger language plpgsql as $$
begin
  insert into professional_territories (professional_id, territory_id)
    values (new.id, new.territory_id) on conflict do nothing;
  return null;
end $$;

create trigger professionals_home_membership after insert or update of territory_id on professionals
  for each row execute function professionals_home_membership();

-- The home membership cannot go while the professional is there (checked at commit,
-- so a transaction may move the home and then drop the old membership).
alter table professionals add constraint professionals_home_is_member
  foreign key (id, territory_id) references professional_territories (professional_id, territory_id)
  deferrable initially deferred;

-- A membership changes where the professional's open slots are offered: touch
-- them, so that every instance's index refiles them (the same path as a change
-- to the professional, sql/001), and tell the caches of reference data (sql/010).
create function touch_open_slots_of_member() returns trigger language plpgsql as $$
begin
  update slots set status = status
   where professional_id = coalesce(new.professional_id, old.professional_id)
     and ends_at > now() and status in ('free', 'held');
  return null;
end $$;

create trigger professional_territories_touch_slots after insert or delete on professional_territories
  for each row execute function touch_open_slots_of_member();
create trigger professional_territories_notify after insert or update or delete or truncate on professional_territories
  for each statement execute function notify_reference_data_change();
