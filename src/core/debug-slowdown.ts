// A deliberate slowdown of one hot path, for one purpose only: proving that the
// benchmark guards (bench/guard.ts) fail when that path regresses. Off unless
// SNP_DEBUG_SLOWDOWN is set; when off, each call site costs one comparison.
//
//   SNP_DEBUG_SLOWDOWN=match:2ms,booking:5ms,push:20ms,index:50ms
//   SNP_DEBUG_SLOWDOWN=match:1ms/50     # one match call in 50 (a tail, not a shift)
//
// Paths: match = SlotIndex.match (every match, in process and over HTTP);
// match-api = the use case behind POST /v1/match only (so that HTTP can be
// slowed without slowing the in-process index benchmarks); booking = the
// booking use case; push = each delivery of live events to sockets (a pass of
// the outbox feed, or an offer of events just committed); outbox-pass = each
// pass of the outbox feed only (a test shows offers do not wait for one); index = each catch-up pass of the index sync (commit →
// index lag); index-memory = bytes kept alive per slot put into the index (a
// memory regression, e.g. index-memory:2kB).
//
// match, match-api and booking busy-wait: they model slower code, which holds
// the event loop as slow code does (a timer would let other work overlap and
// hide it). push, outbox-pass and index pause (debugPauseMs): they model a slower pass
// without stalling the writes whose delivery they delay.

export const SLOWDOWN_PATHS = ['match', 'match-api', 'booking', 'push', 'outbox-pass', 'index', 'index-memory'] as const;
export type SlowdownPath = (typeof SLOWDOWN_PATHS)[number];

/** amount: milliseconds of busy wait; for index-memory, bytes kept alive per call. */
export interface PathSlowdown { amount: number; oneCallIn: number }
export type DebugSlowdown = Partial<Record<SlowdownPath, PathSlowdown>>;

const ENTRY = /^(match|match-api|booking|push|outbox-pass|index|index-memory):(\d+(?:\.\d+)?)(ms|us|B|kB)(?:\/(\d+))?$/;

/** Parses the SNP_DEBUG_SLOWDOWN syntax; throws on anything else, naming the bad entry. */
export function parseDebugSlowdown(spec: string): DebugSlowdown {
  const result: DebugSlowdown = {};
  for (const entry of spec.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const m = ENTRY.exec(entry);
    if (m === null) throw new Error(`"${entry}" is not path:DELAY(ms|us)[/N] or index-memory:SIZE(B|kB) with path one of ${SLOWDOWN_PATHS.join(', ')}`);
    if ((m[1] === 'index-memory') !== (m[3] === 'B' || m[3] === 'kB')) throw new Error(`"${entry}": index-memory takes bytes (B, kB), the other paths a delay (ms, us)`);
    const amount = m[3] === 'us' ? Number(m[2]) / 1000 : m[3] === 'kB' ? Number(m[2]) * 1024 : Number(m[2]);
    const oneCallIn = m[4] === undefined ? 1 : Number(m[4]);
    if (oneCallIn < 1) throw new Error(`"${entry}": one call in ${oneCallIn} is not a call count`);
    result[m[1] as SlowdownPath] = { amount, oneCallIn };
  }
  return result;
}

let active: DebugSlowdown | undefined;
const calls: Record<SlowdownPath, number> = { match: 0, 'match-api': 0, booking: 0, push: 0, 'outbox-pass': 0, index: 0, 'index-memory': 0 };
const ballast: Uint8Array[] = [];

/** Installs (or, with undefined or an empty setting, removes) the slowdown for this process. */
export function setDebugSlowdown(slowdown: DebugSlowdown | undefined): void {
  active = slowdown !== undefined && Object.keys(slowdown).length > 0 ? slowdown : undefined;
  ballast.length = 0;
}

/**
 * For an async path whose regression is waiting, not computing (push): the
 * milliseconds to pause this call, 0 when off. The caller awaits a timer, so
 * the rest of the process (bookings, the baseline) keeps running meanwhile.
 */
export function debugPauseMs(path: 'push' | 'outbox-pass' | 'index'): number {
  if (active === undefined) return 0;
  const slow = active[path];
  if (slow === undefined || ++calls[path] % slow.oneCallIn !== 0) return 0;
  return slow.amount;
}

/** Called on a guarded path: does nothing unless a slowdown is set for it. */
export function debugSlowdown(path: SlowdownPath): void {
  if (active === undefined) return;
  const slow = active[path];
  if (slow === undefined || ++calls[path] % slow.oneCallIn !== 0) return;
  if (path === 'index-memory') {
    ballast.push(new Uint8Array(Math.round(slow.amount)).fill(1)); // written, so resident
    return;
  }
  const until = performance.now() + slow.amount;
  while (performance.now() < until) { /* busy wait: see the header */ }
}
