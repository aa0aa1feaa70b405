-- Phone numbers the SAS shows (issue 14): the CPTS's (Organization.telecom,
-- must-support in sas-cpts-organization-aggregator) and the professional's
-- (PractitionerRole.telecom). Optional; digits, spaces, dots, dashes,
-- parentheses and a leading "+", as people write them.
alter table territories add column phone text
  constraint territories_phone_format check (phone ~ '^\+?[0-9][0-9 ().-]{3,30}$');
alter table professionals add column phone text
  constraint professionals_phone_format check (phone ~ '^\+?[0-9][0-9 ().-]{3,30}$');
