// Gauges read from the running service when Prometheus scrapes: the slot
// index (size, sync lag), the connection pool and the outbox backlog. Nothing
// is sampled in between, so a scrape always sees the present.
//
// One service per process in production; when tests start several in one
// process, the most recently started one that is still running is reported.
import client from 'prom-client';
import type pg from 'pg';
import type { IndexSyncStatus } from '../db/sync/index-sync.js';
import { registry } from './metrics.js';
import type { OutboxBacklog } from './outbox-backlog.js';

export interface ServiceSources {
  sync: { status(): IndexSyncStatus };
  pool: pg.Pool;
  outbox: OutboxBacklog;
}

const bound: ServiceSources[] = [];
const current = (): ServiceSources | undefined => bound[bound.length - 1];
const registers = [registry];

new client.Gauge({
  name: 'snp_index_free_slots', help: 'Matchable slots in the in-memory index', registers,
  collect() { const s = current(); if (s !== undefined) this.set(s.sync.status().size); },
});
new client.Gauge({
  name: 'snp_index_sync_lag_seconds', help: 'How long the oldest slot change not yet applied to the index has waited (0 when caught up)', registers,
  collect() { const s = current(); if (s !== undefined) this.set(s.sync.status().lagMs / 1000); },
});
new client.Gauge({
  name: 'snp_index_last_applied_seq', help: 'Highest slot change sequence applied to the index', registers,
  collect() { const s = current(); if (s !== undefined) this.set(s.sync.status().lastAppliedSeq); },
});
new client.Gauge({
  name: 'snp_index_listener_connected', help: '1 while the LISTEN connection of index sync is up', registers,
  collect() { const s = current(); if (s !== undefined) this.set(s.sync.status().listenerConnected ? 1 : 0); },
});
new client.Gauge({
  name: 'snp_db_pool_connections', help: 'Connections of the database pool, by state (total, idle)', labelNames: ['state'] as const, registers,
  collect() {
    const s = current();
    if (s === undefined) return;
    this.set({ state: 'total' }, s.pool.totalCount);
    this.set({ state: 'idle' }, s.pool.idleCount);
  },
});
new client.Gauge({
  name: 'snp_db_pool_waiting_clients', help: 'Queries waiting for a pool connection', registers,
  collect() { const s = current(); if (s !== undefined) this.set(s.pool.waitingCount); },
});
new client.Gauge({
  name: 'snp_outbox_unacked_events', help: 'Outbox events not yet acknowledged, by recipient kind', labelNames: ['recipient_kind'] as const, registers,
  async collect() {
    const s = current();
    if (s === undefined) return;
    this.reset();
    for (const kind of await s.outbox.read().catch(() => [])) this.set({ recipient_kind: kind.recipientKind }, kind.count);
  },
});
new client.Gauge({
  name: 'snp_outbox_oldest_unacked_seconds', help: 'Age of the oldest unacknowledged outbox event, by recipient kind', labelNames: ['recipient_kind'] as const, registers,
  async collect() {
    const s = current();
    if (s === undefined) return;
    this.reset();
    for (const kind of await s.outbox.read().catch(() => [])) this.set({ recipient_kind: kind.recipientKind }, kind.oldestSeconds);
  },
});

/** Reports this service's gauges until the returned function is called. */
export function observeService(sources: ServiceSources): () => void {
  bound.push(sources);
  return () => {
    const at = bound.indexOf(sources);
    if (at >= 0) bound.splice(at, 1);
  };
}
