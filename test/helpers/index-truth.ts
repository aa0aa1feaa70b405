// What a service's index should hold, from PostgreSQL: shared with scripts/soak.ts, so it lives in scripts/harness.
export * from '../../scripts/harness/index-truth.js';
