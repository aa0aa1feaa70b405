// How long a gate holds a refusal past its free ones (src/server/throttle-gate.ts,
// upgrade-gate.ts): one to two seconds, at random, released on a 50 ms grid.
// A fixed second put a flood's connections in step: all held at once, all
// answered in the same tick, all back at once, a burst of refusals each second
// that a legitimate client's request queued behind (bench/auth-flood.ts: its
// p99 went from 8 to 186 ms on a quiet machine). Released each at its own
// moment, the same refusals cost over twice the CPU (a wake-up and a write
// each). On the grid, they go twenty small batches a second.
export const TARPIT_MIN_MS = 1_000;
const GRID_MS = 50;

/** Milliseconds to hold a refusal that arrives at `now`. */
export function tarpitHoldMs(now: number = Date.now(), random: () => number = Math.random): number {
  const due = now + TARPIT_MIN_MS + random() * TARPIT_MIN_MS;
  return Math.ceil(due / GRID_MS) * GRID_MS - now;
}
