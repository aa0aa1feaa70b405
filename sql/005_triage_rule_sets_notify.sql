-- Every instance keeps the triage rule set in force of each territory in memory
-- (src/db/rule-sets/rule-set-registry.ts). A change to triage_rule_sets is
-- announced so that all of them reload within a second, without a restart.
-- The notification is only a hint: an instance also reloads after its LISTEN
-- connection comes back, and periodically. Rule sets change rarely, so the
-- commit-time cost of pg_notify (see 004) does not matter here.
-- Per statement, empty payload: the reload reads the latest versions itself.
-- Update and delete too: a territory removed (cascade) or a row fixed by hand.
create function triage_rule_sets_notify_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('triage_rule_sets', '');
  return null;
end $$;

create trigger triage_rule_sets_notify after insert or update or delete on triage_rule_sets
  for each statement execute function triage_rule_sets_notify_change();
