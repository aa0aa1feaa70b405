// Refusals of a throttled address, answered before Fastify (issue 15's flood
// bar). Once a source address has spent its failed-authentication budget
// (AUTH_FAILURES_PER_MINUTE), Fastify would still spend about 0.5 ms of CPU on
// each of its requests (routing, hooks, logging, a problem serialised) only to
// refuse it: a flood of bad tokens then starves legitimate clients of the
// event loop. Here, in the Node server's request handler, such a request
// costs a map lookup and a canned 429 in the transport's wording. Past
// AUTH_TARPIT_FREE_PER_SECOND such refusals a second from one address (a flood, not a
// client retrying), each is held one to two seconds first (a tarpit, tarpit.ts): an attacker's
// connection then sends at most one request a second, instead of as many as we
// can refuse. At most MAX_HELD are held at once; beyond, the 429 goes at once
// and the connection is closed. Answers while the server closes close their connection.
//
// Let through all the same, so that an attacker sharing a legitimate client's
// address (a NAT, a proxy) does not lock it out: a bearer token that
// authenticated recently (in the token cache: no lookup), a connection whose
// client certificate the TLS stack verified, and the health probes. Behind a
// proxy (TRUST_PROXY) the client's address is in X-Forwarded-For, which only
// Fastify resolves: the gate stays off, the refusals are Fastify's (the proxy
// should limit per address itself).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Authenticator } from '../auth/authenticator.js';
import { TokenBuckets } from '../auth/token-buckets.js';
import { refusedBeforeRouterTotal } from '../observability/metrics.js';
import type { RawGate } from './http-server.js';
import type { RefusalWording, RefusalWordings } from './refusals.js';
import { tarpitHoldMs } from './tarpit.js';

const PROBES = new Set(['/healthz', '/readyz']);
const MAX_HELD = 10_000;

/**
 * `freePerSecond`: refusals a second answered at once (AUTH_TARPIT_FREE_PER_SECOND, 100).
 * `now`: the clock of the free refusals' budget (a test freezes it).
 */
export function throttleGate(authenticator: Pick<Authenticator, 'throttledFor' | 'knowsBearer'>, wordings: RefusalWordings, freePerSecond = 100, now: () => number = Date.now): RawGate {
  let held = 0;
  // A second's worth at once, no more: with a minute's worth as its burst (6,000)
  // a flood was answered at once for its first 6,000 refusals, a tarpit in name only.
  const immediate = new TokenBuckets(freePerSecond * 60, 10_000, now, freePerSecond);
  // Serialised once per wording and wait (a few seconds at most), not once per refusal.
  const answers = new Map<RefusalWording, Map<number, { headers: Record<string, string | number>; body: Buffer }>>();
  const canned = (wording: RefusalWording, wait: number) => {
    let byWait = answers.get(wording);
    if (byWait === undefined) answers.set(wording, byWait = new Map());
    let answer = byWait.get(wait);
    if (answer === undefined) {
      const { contentType, body } = wording({
        status: 429, slug: 'authentication-throttled', kind: 'throttled',
        detail: `too many failed authentications from this address; retry in ${wait} s`,
      });
      const bytes = Buffer.from(body);
      if (byWait.size >= 100) byWait.clear();
      byWait.set(wait, answer = { headers: { 'content-type': contentType, 'content-length': bytes.length, 'retry-after': String(wait) }, body: bytes });
    }
    return answer;
  };
  return (request: IncomingMessage, response: ServerResponse, closing: () => boolean): boolean => {
    const wait = authenticator.throttledFor(request.socket.remoteAddress);
    if (wait === undefined) return false;
    if (authenticator.knowsBearer(request.headers.authorization)) return false;
    if ((request.socket as Partial<TLSSocket>).authorized === true) return false;
    const url = request.url ?? '';
    if (PROBES.has(url)) return false;
    refusedBeforeRouterTotal.inc({ reason: 'throttled' });
    const { headers, body } = canned(wordings.wordingOf(url), wait);
    const answer = (close: boolean) => {
      if (response.writableEnded || response.destroyed) return;
      if (close || closing()) response.shouldKeepAlive = false;
      response.writeHead(429, headers);
      response.end(body);
    };
    if (held >= MAX_HELD || closing()) {
      answer(true);
      return true;
    }
    if (immediate.take(request.socket.remoteAddress ?? '') === undefined) {
      answer(false);
      return true;
    }
    held++;
    const timer = setTimeout(() => answer(false), tarpitHoldMs());
    response.once('close', () => {
      clearTimeout(timer);
      held--;
    });
    return true;
  };
}
