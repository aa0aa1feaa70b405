-- Retention covers every row holding patient-related data (issue 15), not only
-- bookings' patient fields: a request's age, sex, pregnancy, complaint, red
-- flags and triage answer, free-text cancel reasons (on the booking, its
-- outbox events and the audit log) and every reason in the audit log. The
-- housekeeping (src/db/housekeeping.ts) clears them after PATIENT_RETENTION_DAYS;
-- the indexes below let it find what is left without scanning what it already cleared.
alter table requests add column patient_purged_at timestamptz;
create index requests_patient_unpurged on requests (created_at) where patient_purged_at is null;
create index bookings_patient_retention on bookings (ends_at) where patient is not null or cancel_reason is not null;
create index audit_log_reasons on audit_log (at) where details ? 'reason';
