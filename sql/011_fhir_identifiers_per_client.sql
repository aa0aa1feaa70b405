-- FHIR appointment identifiers belong to the client that sent them (issue 15):
-- unique per client, so one client can neither block another's identifier
-- (a 422 "already used") nor learn that it exists. The conditional update and
-- the replay of a POST look an identifier up within the caller's own links.
alter table fhir_appointments drop constraint fhir_appointments_identifier_system_identifier_value_key;
alter table fhir_appointments add constraint fhir_appointments_client_identifier_key unique (client_id, identifier_system, identifier_value);
