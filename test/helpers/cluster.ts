// N real service processes on one PostgreSQL: shared with scripts/soak.ts, so it lives in scripts/harness.
export * from '../../scripts/harness/cluster.js';
