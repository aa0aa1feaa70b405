// Test data written straight into PostgreSQL: shared with scripts/soak.ts, so it lives in scripts/harness.
export * from '../../scripts/harness/fixtures.js';
