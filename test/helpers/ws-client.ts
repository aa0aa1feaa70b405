// A WebSocket client speaking the service protocol: shared with scripts/soak.ts, so it lives in scripts/harness.
export * from '../../scripts/harness/ws-client.js';
