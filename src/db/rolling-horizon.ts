// Keeps slots materialised MATERIALISE_DAYS ahead as days pass. Every instance
// may run it: inserts are idempotent, so two runs at once only repeat work.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { materialiseSlots } from './materialise-slots.js';
import type { Database } from './schema.js';

export interface RollingHorizon {
  /** Starts a run unless one is going; resolves when it ends (errors are logged). */
  run(): Promise<void>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export function startRollingHorizon(db: Kysely<Database>, days: number, logger: Logger, everyMs = 3_600_000): RollingHorizon {
  let running: Promise<void> | null = null;
  const stopping = new AbortController();
  const run = () => {
    if (stopping.signal.aborted) return Promise.resolve();
    running ??= (async () => {
      const from = new Date();
      const until = new Date(from.getTime() + days * 86_400_000);
      const result = await materialiseSlots(db, { from, until, signal: stopping.signal });
      if (result.inserted > 0) logger.info(result, 'on-call bands materialised');
    })().catch((error) => logger.warn({ err: error }, 'materialisation failed; will retry'))
      .finally(() => { running = null; });
    return running;
  };
  const timer = setInterval(() => void run(), everyMs);
  return {
    run,
    stop: async () => {
      clearInterval(timer);
      stopping.abort(); // a first start's long run ends at its next batch
      await running;
    },
  };
}
