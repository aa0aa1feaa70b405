// Unacknowledged outbox events, counted at scrape time. Prometheus may scrape
// every few seconds from several servers: one cheap query (partial index
// events_unacked, sql/006) at most every `maxAgeMs`, shared by concurrent scrapes.
import type pg from 'pg';

export interface BacklogKind { recipientKind: string; count: number; oldestSeconds: number }

export class OutboxBacklog {
  private cached: { at: number; value: Promise<BacklogKind[]> } | null = null;

  constructor(private readonly pool: pg.Pool, private readonly maxAgeMs = 5_000, private readonly now: () => number = Date.now) {}

  read(): Promise<BacklogKind[]> {
    const now = this.now();
    if (this.cached === null || now - this.cached.at >= this.maxAgeMs) {
      const value = this.query();
      this.cached = { at: now, value };
      // A failed read is not kept: the next scrape tries again.
      value.catch(() => { if (this.cached?.value === value) this.cached = null; });
    }
    return this.cached.value;
  }

  private async query(): Promise<BacklogKind[]> {
    const result = await this.pool.query<{ recipient_kind: string; count: number; oldest: number }>({
      name: 'snp-outbox-backlog',
      text: `select recipient_kind, count(*)::int as count, extract(epoch from now() - min(created_at))::float8 as oldest
               from events where acked_at is null group by recipient_kind`,
    });
    return result.rows.map((r) => ({ recipientKind: r.recipient_kind, count: r.count, oldestSeconds: Math.max(0, r.oldest) }));
  }
}
