// Leak detectors: a test fails when the service leaves a timer of its own
// running, or a connection open, after it was closed.
import { createHook } from 'node:async_hooks';
import { findSourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = path.join(fileURLToPath(new URL('../../src/', import.meta.url)));

/**
 * The first frame of the current stack in our own code, as file:line:column of
 * the code that runs, or null. Call sites, not `new Error().stack`: with
 * source maps on (tap and tsx turn them on) formatting a stack maps every
 * frame, about 400 µs against 45 here, for every timer the process creates.
 */
function ownCallSite(): { file: string; line: number; column: number } | null {
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, sites) => sites;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  Error.captureStackTrace(holder, ownCallSite);
  const sites = holder.stack ?? [];
  Error.prepareStackTrace = saved;
  for (const site of sites) {
    const file = site.getFileName() ?? '';
    if (file.includes(SRC) && !file.includes('node_modules')) return { file, line: site.getLineNumber() ?? 0, column: site.getColumnNumber() ?? 0 };
  }
  return null;
}

/** A call site in the TypeScript source, through the source map when there is one. */
function describe(site: { file: string; line: number; column: number }): string {
  const file = site.file.startsWith('file://') ? fileURLToPath(site.file) : site.file;
  const entry = findSourceMap(site.file)?.findEntry(site.line - 1, site.column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
  if (entry?.originalSource === undefined) return `at ${file}:${site.line}:${site.column}`;
  const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : entry.originalSource;
  return `at ${source}:${entry.originalLine! + 1}:${entry.originalColumn! + 1}`;
}

/** Starts recording timers created from our own code; `leaked()` lists those still alive. */
export function trackTimers(): { leaked(): Promise<string[]>; stop(): void } {
  const live = new Map<number, { file: string; line: number; column: number }>();
  const hook = createHook({
    init(asyncId, type) {
      if (type !== 'Timeout') return;
      const ours = ownCallSite();
      if (ours !== null) live.set(asyncId, ours);
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
      return [...live.values()].map(describe);
    },
    stop: () => hook.disable(),
  };
}

export { openConnections } from '../../scripts/harness/connections.js';
