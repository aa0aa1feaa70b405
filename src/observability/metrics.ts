// The process's Prometheus metrics, by name, for every part of the service to
// import and update. One registry per process (Prometheus scrapes a process);
// names are documented in the README ("Metrics") — rename nothing lightly.
//
// Other transports (WebSocket, FHIR) use the same metrics with their own
// `channel` label value: 'http' | 'fhir' | 'ws'.
import client from 'prom-client';
import { SeriesHistogram } from './series-histogram.js';

export const registry = new client.Registry();

// Node's own: event-loop lag (nodejs_eventloop_lag_seconds and percentiles),
// heap, GC, handles, CPU (process_cpu_seconds_total), …
client.collectDefaultMetrics({ register: registry });

const registers = [registry];

// The two histograms observed on every match request are SeriesHistograms: the
// same exposition as prom-client's at a fraction of its cost per observation.

/** Server-side latency per route pattern (never the raw URL: bounded label values). */
export const httpRequestDuration = new SeriesHistogram({
  name: 'snp_http_request_duration_seconds',
  help: 'HTTP request latency, from arrival to response sent, by route pattern, method and status class',
  labelNames: ['route', 'method', 'status_class'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers,
});

/** Time spent answering a match from the in-memory index (use case, without transport). */
export const matchDuration = new SeriesHistogram({
  name: 'snp_match_duration_seconds',
  help: 'Match latency in the use case (index search and formatting), by channel',
  labelNames: ['channel'] as const,
  buckets: [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
  registers,
});

/** Open WebSocket connections: inc() on open, dec() on close, labelled by endpoint. */
export const wsConnections = new client.Gauge({
  name: 'snp_ws_connections',
  help: 'Open WebSocket connections by channel (professional, counter)',
  labelNames: ['channel'] as const,
  registers,
});

/** From the booking's commit (event created_at) to the message written to the professional's socket. */
export const pushLatency = new client.Histogram({
  name: 'snp_push_latency_seconds',
  help: 'Booking committed to event pushed on a professional socket',
  labelNames: ['type'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
  registers,
});

/** result: created | replayed | cancelled | no-show | honoured. */
export const bookingsTotal = new client.Counter({
  name: 'snp_bookings_total',
  help: 'Booking operations answered successfully, by channel and result',
  labelNames: ['channel', 'result'] as const,
  registers,
});

/** How many bookings each booking statement carried (src/db/booking-batches.ts): 1 when alone. */
export const bookingBatchSize = new client.Histogram({
  name: 'snp_booking_batch_size',
  help: 'Bookings per booking statement (concurrent bookings share one statement and commit)',
  buckets: [1, 2, 4, 8, 16, 32, 64],
  registers,
});

/** result: placed | released. */
export const holdsTotal = new client.Counter({
  name: 'snp_holds_total',
  help: 'Hold operations answered successfully, by channel and result',
  labelNames: ['channel', 'result'] as const,
  registers,
});

/** operation: hold | booking. A lost race or a slot no longer available (409). */
export const slotConflictsTotal = new client.Counter({
  name: 'snp_slot_conflicts_total',
  help: 'Holds and bookings refused with a conflict (409), by channel and operation',
  labelNames: ['channel', 'operation'] as const,
  registers,
});

/** reason: throttled (src/server/throttle-gate.ts) | socket-cap (src/server/upgrade-gate.ts). Answered in the Node server, before Fastify: not in snp_http_request_duration_seconds. */
export const refusedBeforeRouterTotal = new client.Counter({
  name: 'snp_refused_before_router_total',
  help: 'Requests and upgrades refused (429) in the Node server before Fastify runs, by reason',
  labelNames: ['reason'] as const,
  registers,
});

export const METRICS_CONTENT_TYPE = registry.contentType;
