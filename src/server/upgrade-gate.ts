// WebSocket upgrades of a client already holding its cap of sockets
// (WS_MAX_SOCKETS_PER_CLIENT), refused before Fastify (issue 15's flood bar).
// Through Fastify such an upgrade costs routing, the hooks (authentication,
// rate limit, metrics, logging) and a problem serialised, only to be refused by
// the route's preHandler (src/ws/channels.ts): an attacker's 30 sockets over
// the cap, retried every 100 ms, were ~4,000 of them in 15 s. Here, on the
// server's 'upgrade' event, ahead of @fastify/websocket, it costs a hash of the
// token, two map reads and a canned 429 written on the raw socket, which is
// then closed.
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
// Not one log line per refusal (that would be the flood's cost again): per
// client, the first, then at most one line every LOG_EVERY_MS counting those
// since; and the snp_refused_before_router_total counter.
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as parseQuery } from 'fast-querystring';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import { certificateOfConnection } from '../auth/client-certificate.js';
import { CERT_HEADER } from '../auth/certificate-proxy.js';
import type { ClientBudget } from '../auth/client-budget.js';
import { rateLimited } from '../auth/client-rate-limit.js';
import { LruMap } from '../auth/lru-map.js';
import { tokenFrom } from '../auth/request-authentication.js';
import { refusedBeforeRouterTotal } from '../observability/metrics.js';
import { PROBLEM_CONTENT_TYPE, type ApiProblem } from '../usecases/problem.js';
import type { SocketCap } from '../ws/hub.js';
import type { UpgradeGate } from './http-server.js';

const LOG_EVERY_MS = 10_000;
const REPORTED_CLIENTS_MAX = 1_000;

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
}

export function upgradeGate(options: UpgradeGateOptions): UpgradeGate {
  const { authenticator, sockets, budget, certificates, logger } = options;
  const paths = new Set(options.paths);
  const reported = new LruMap<string, { at: number; refused: number }>(REPORTED_CLIENTS_MAX);
  const report = (clientId: string, path: string) => {
    const now = Date.now();
    const last = reported.get(clientId);
    if (last !== undefined && now - last.at < LOG_EVERY_MS) {
      last.refused++;
      return;
    }
    logger.info({ client: clientId, path, refused: (last?.refused ?? 0) + 1 }, 'websocket upgrades refused before the router: the client holds its cap of sockets');
    reported.set(clientId, { at: now, refused: 0 });
  };

  return (request, socket) => {
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
    const atCap = sockets.capRefusal(client.id);
    if (atCap === undefined) return false;
    const wait = budget.take(client.id);
    refuse(socket, wait === undefined ? atCap : rateLimited(budget, wait));
    refusedBeforeRouterTotal.inc({ reason: 'socket-cap' });
    report(client.id, path);
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

/** The problem as Fastify would send it (status, problem+json, its headers), on the raw socket, which is then closed. */
function refuse(socket: Duplex, problem: ApiProblem): void {
  // Node took its error listener off the socket before emitting 'upgrade'.
  socket.on('error', () => socket.destroy());
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(problem.body);
  const headers = Object.entries(problem.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\n`
    + `content-length: ${Buffer.byteLength(body)}\r\n${headers}connection: close\r\n\r\n${body}`);
}
