// Reconnection delays: exponential, capped, and jittered so that instances
// losing the same server do not all knock again at the same instant.
export interface BackoffOptions { baseMs: number; capMs: number }

export function backoffDelay(attempt: number, { baseMs, capMs }: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
