// Leak detectors: a test fails when the service leaves a timer of its own
// running, or a connection open, after it was closed.
import { createHook } from 'node:async_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const SRC = path.join(fileURLToPath(new URL('../../src/', import.meta.url)));

/** Starts recording timers created from our own code; `leaked()` lists those still alive. */
export function trackTimers(): { leaked(): Promise<string[]>; stop(): void } {
  const live = new Map<number, string>();
  const hook = createHook({
    init(asyncId, type) {
      if (type !== 'Timeout') return;
      const stack = new Error().stack ?? '';
      const ours = stack.split('\n').find((line) => line.includes(SRC) && !line.includes('node_modules'));
      if (ours !== undefined) live.set(asyncId, ours.trim());
    },
    destroy(asyncId) {
      live.delete(asyncId);
    },
  });
  hook.enable();
  return {
    async leaked() {
      // destroy hooks of just-cleared timers run on a later turn of the loop
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      return [...live.values()];
    },
    stop: () => hook.disable(),
  };
}

/** Connections still open to a database, other than the one asking. */
export async function openConnections(adminUrl: string, database: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
    return result.rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}
