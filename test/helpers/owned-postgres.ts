// A PostgreSQL a test owns outright (it may stop and restart it): shared with scripts/soak.ts, so it lives in scripts/harness.
export * from '../../scripts/harness/owned-postgres.js';
