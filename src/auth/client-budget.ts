// One request budget per API client for the whole instance, whatever carries
// the request: a /v1 HTTP call, a /fhir call, a WebSocket upgrade and every
// message on any of its sockets draw from the same RATE_LIMIT_PER_MINUTE
// (a token bucket: that many per minute sustained).
// Forty sockets on one token get the budget of one client, not forty.
// Bursts are BURST_SECONDS' worth of the rate, not a whole minute's: a whole
// minute (3000 by default) let one hostile client run ~200 matches a second,
// each a database INSERT, for 15 s before the rate applied, and that is what
// other clients' latency paid for (issue 15's flood bar). A small budget keeps
// its whole minute as a burst (MIN_BURST), so a client allowed 5 a minute can
// still send its 5 at once.
// In memory per instance: N instances allow N times the limit, which is fine
// for abuse protection.
import { TokenBuckets } from './token-buckets.js';

export const BURST_SECONDS = 10;
export const MIN_BURST = 60;

/** The burst a per-minute budget allows: BURST_SECONDS' worth, at least MIN_BURST (or the whole budget when smaller). */
export function clientBurst(perMinute: number): number {
  return Math.max(Math.min(perMinute, MIN_BURST), Math.ceil((perMinute * BURST_SECONDS) / 60));
}

export class ClientBudget {
  private readonly buckets: TokenBuckets;
  readonly burst: number;

  constructor(readonly perMinute: number, now: () => number = Date.now) {
    this.burst = clientBurst(perMinute);
    this.buckets = new TokenBuckets(perMinute, 100_000, now, this.burst);
  }

  /** Charges one request to the client; undefined when within budget, else the seconds to wait. */
  take(clientId: string): number | undefined {
    return this.buckets.take(clientId);
  }
}
