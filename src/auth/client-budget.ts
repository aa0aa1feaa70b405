// One request budget per API client for the whole instance, whatever carries
// the request: a /v1 HTTP call, a /fhir call, a WebSocket upgrade and every
// message on any of its sockets draw from the same RATE_LIMIT_PER_MINUTE
// (a token bucket: that many per minute sustained, bursts up to as many).
// Forty sockets on one token get the budget of one client, not forty.
// In memory per instance: N instances allow N times the limit, which is fine
// for abuse protection.
import { TokenBuckets } from './token-buckets.js';

export class ClientBudget {
  private readonly buckets: TokenBuckets;

  constructor(readonly perMinute: number) {
    this.buckets = new TokenBuckets(perMinute);
  }

  /** Charges one request to the client; undefined when within budget, else the seconds to wait. */
  take(clientId: string): number | undefined {
    return this.buckets.take(clientId);
  }
}
