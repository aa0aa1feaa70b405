// "Slots changed, look now", sent after commit for writers that defer their
// in-transaction NOTIFY (see sql/004_deferred_slot_notify.sql). One dedicated
// connection with asynchronous commit (a lost hint costs nothing: the index
// sync's backstop pass finds the change anyway), and calls coalesce: while one
// NOTIFY is in flight, any number of signals make exactly one more.
import pg from 'pg';

export interface SlotChangeSignal {
  signal(): void;
}

export class SlotChangeHint implements SlotChangeSignal {
  private readonly pool: pg.Pool;
  private inFlight: Promise<void> | null = null;
  private pending = false;
  private stopped = false;

  constructor(url: string, private readonly onError: (error: unknown) => void = () => {}) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: 1,
      application_name: 'snp-match:slot-hints',
      options: '-c synchronous_commit=off',
      // No idle or connect timers: nothing of this pool outlives stop().
      idleTimeoutMillis: 0,
      keepAlive: true,
    });
    this.pool.on('error', () => {}); // the next query reconnects
  }

  signal(): void {
    if (this.stopped) return;
    this.pending = true;
    this.inFlight ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.pending && !this.stopped) {
      this.pending = false;
      try {
        await this.pool.query(`select pg_notify('slot_changes', '')`);
      } catch (error) {
        this.onError(error);
      }
    }
    this.inFlight = null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.inFlight;
    await this.pool.end();
  }
}
