// The test PKI lives in scripts/harness (the benchmarks use it too).
export * from '../../scripts/harness/tls-certs.js';
