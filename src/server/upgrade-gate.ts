// WebSocket upgrades of a client already holding its cap of sockets
// (WS_MAX_SOCKETS_PER_CLIENT), refused before Fastify (issue 15's flood bar).
// Through Fastify such an upgrade costs routing, the hooks (authentication,
// rate limit, metrics, logging) and a problem serialised, only to be refused by
// the route's preHandler (src/ws/channels.ts): an attacker's 30 sockets over
// the cap, retried every 100 ms, were ~4,000 of them in 15 s. Here, on the
// server's 'upgrade' event, ahead of @fastify/websocket, it costs a hash of the
// token, a few map reads and a canned 429 (serialised once) written on the raw
// socket, which is then closed.
//
// Only what is known without any lookup is refused: a bearer token
// (Authorization, else `?token=` as the upgrade allows, parsed by Fastify's
// own query parser) whose client the authenticator has fresh in its cache,
// exactly as Fastify's authentication hook would find it. Anything else (no
// or unknown token, a session cookie, a certificate presented by the
// connection or a trusted proxy, another path or method) goes to Fastify as
// before. Like Fastify's rate-limit hook, each refused upgrade is charged to
// the client's budget; over it, the refusal is that budget's 429 instead. A
// client at its cap is refused whatever else is wrong with its upgrade (a
// query Fastify would answer 400, a channel its role does not open, 403).
//
// A tarpit, as for throttled addresses (src/server/throttle-gate.ts): past
// FREE_PER_SECOND refusals a second for one client, each is held one to
// two seconds first (tarpit.ts) (its Retry-After is 1 s anyway), so that a client retrying at once
// opens a connection a second per surplus socket, not as many as we can
// refuse. At most MAX_HELD are held at once; beyond, and while the server
// closes, the answer goes at once.
//
// Not one log line per refusal (that would be the flood's cost again): per
// client, the first, then at most one line every LOG_EVERY_MS counting those
// since; and the snp_refused_before_router_total counter.
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as parseQuery } from 'fast-querystring';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import { CERT_HEADER } from '../auth/certificate-proxy.js';
import { certificateOfConnection } from '../auth/client-certificate.js';
import type { ClientBudget } from '../auth/client-budget.js';
import { rateLimited } from '../auth/client-rate-limit.js';
import { LruMap } from '../auth/lru-map.js';
import { tokenFrom } from '../auth/request-authentication.js';
import { TokenBuckets } from '../auth/token-buckets.js';
import { refusedBeforeRouterTotal } from '../observability/metrics.js';
import { PROBLEM_CONTENT_TYPE, type ApiProblem } from '../usecases/problem.js';
import { tooManySockets, type SocketCap } from '../ws/hub.js';
import type { UpgradeGate } from './http-server.js';
import { tarpitHoldMs } from './tarpit.js';

const FREE_PER_SECOND = 10;
const MAX_HELD = 10_000;
const CLIENTS_MAX = 10_000;
const LOG_EVERY_MS = 10_000;

export interface UpgradeGateOptions {
  authenticator: Pick<Authenticator, 'cachedClient'>;
  sockets: SocketCap;
  /** The per-client budget every transport charges. */
  budget: ClientBudget;
  /** The sockets' paths (src/ws/channels.ts): other upgrades are left to Fastify. */
  paths: readonly string[];
  /** Client certificates are configured: an upgrade presenting one is authenticated by it, in Fastify. */
  certificates: boolean;
  logger: Pick<Logger, 'info'>;
  /** The clock of the free refusals' budget and of the log's pace (a test may freeze it). */
  now?: () => number;
}

export function upgradeGate(options: UpgradeGateOptions): UpgradeGate {
  const { authenticator, sockets, budget, certificates, logger, now = Date.now } = options;
  const paths = new Set(options.paths);
  const immediate = new TokenBuckets(FREE_PER_SECOND * 60, CLIENTS_MAX, now, FREE_PER_SECOND);
  const answers = new CannedAnswers();
  const reported = new LruMap<string, { at: number; refused: number }>(CLIENTS_MAX);
  let held = 0;
  const report = (clientId: string, path: string) => {
    const at = now();
    const last = reported.get(clientId);
    if (last !== undefined && at - last.at < LOG_EVERY_MS) {
      last.refused++;
      return;
    }
    logger.info({ client: clientId, path, refused: (last?.refused ?? 0) + 1 }, 'websocket upgrades refused before the router: the client holds its cap of sockets');
    reported.set(clientId, { at, refused: 0 });
  };

  return (request, socket, closing) => {
    if (request.method !== 'GET') return false;
    const url = request.url ?? '';
    const mark = url.indexOf('?');
    const path = mark === -1 ? url : url.slice(0, mark);
    if (!paths.has(path)) return false;
    const token = tokenOf(request, mark === -1 ? '' : url.slice(mark + 1));
    if (token === undefined || token === '') return false;
    if (certificates && presentsCertificate(request)) return false;
    const client = authenticator.cachedClient(token);
    if (client === undefined) return false;
    const open = sockets.openSockets(client.id);
    if (open < sockets.maxSocketsPerClient) return false;

    const wait = budget.take(client.id);
    const answer = wait === undefined ? answers.tooManySockets(open, sockets.maxSocketsPerClient) : answers.rateLimited(budget, wait);
    refusedBeforeRouterTotal.inc({ reason: 'socket-cap' });
    report(client.id, path);
    // Node took its error listener off the socket before emitting 'upgrade'.
    socket.on('error', () => socket.destroy());
    if (held >= MAX_HELD || closing() || immediate.take(client.id) === undefined) {
      send(socket, answer);
      return true;
    }
    held++;
    const timer = setTimeout(() => send(socket, answer), tarpitHoldMs());
    socket.once('close', () => {
      clearTimeout(timer);
      held--;
    });
    return true;
  };
}

/** The bearer token as Fastify's authentication reads it: the Authorization header, else the upgrade's `?token=`. */
function tokenOf(request: IncomingMessage, query: string): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined || query === '') return tokenFrom(authorization, undefined);
  return tokenFrom(undefined, (parseQuery(query) as Record<string, unknown>).token);
}

/** A certificate of the connection, or a proxy's header offering one (whoever sent it: Fastify judges it). */
function presentsCertificate(request: IncomingMessage): boolean {
  return certificateOfConnection(request.socket) !== null || request.headers[CERT_HEADER] !== undefined;
}

/** Writes the answer on the raw socket, then closes it. */
function send(socket: Duplex, answer: Buffer): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(answer);
}

/**
 * The refusals as Fastify would send them (status, problem+json, the problem's
 * headers), each serialised once: they differ only by a count or a wait.
 */
class CannedAnswers {
  private readonly bySockets = new Map<string, Buffer>();
  private readonly byWait = new Map<number, Buffer>();

  tooManySockets(open: number, max: number): Buffer {
    const key = `${open}/${max}`;
    let answer = this.bySockets.get(key);
    if (answer === undefined) {
      // Bounded: open is at most the cap plus the upgrades that raced past it.
      if (this.bySockets.size >= 100) this.bySockets.clear();
      this.bySockets.set(key, answer = wire(tooManySockets(open, max)));
    }
    return answer;
  }

  rateLimited(budget: ClientBudget, wait: number): Buffer {
    let answer = this.byWait.get(wait);
    if (answer === undefined) {
      if (this.byWait.size >= 100) this.byWait.clear();
      this.byWait.set(wait, answer = wire(rateLimited(budget, wait, 'requests')));
    }
    return answer;
  }
}

function wire(problem: ApiProblem): Buffer {
  const body = JSON.stringify(problem.body);
  const headers = Object.entries(problem.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return Buffer.from(`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\n`
    + `content-length: ${Buffer.byteLength(body)}\r\n${headers}connection: close\r\n\r\n${body}`);
}
