// Leak detectors: a test fails when the service leaves a timer of its own
// running, or a connection open, after it was closed.
import { createHook } from 'node:async_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

export { openConnections } from '../../scripts/harness/connections.js';
