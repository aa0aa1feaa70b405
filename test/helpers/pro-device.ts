// A professional's device on the WebSocket: shared with scripts/soak.ts, so it lives in scripts/harness.
export * from '../../scripts/harness/pro-device.js';
