// The load generator, run as its own process so it does not share an event loop
// with the server it measures. Reads a JSON job from the file argv[2], prints
// one JSON result line. Bodies are sent round-robin (or the fixed `body`); with
// `idempotent`, each request carries a fresh Idempotency-Key; with
// `randomBearer`, a fresh well-formed but unknown token (an attacker's flood).
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  /** Request bodies, sent in turn; empty or absent: the fixed `body`. */
  bodies?: unknown[];
  body?: unknown;
  idempotent?: boolean;
  /** Each request with `Authorization: Bearer snp_<random>`. */
  randomBearer?: boolean;
  /** Requests per second over all connections (default: as fast as answered). */
  overallRate?: number;
}

export interface LoadResult { requestsPerSecond: number; p50: number; p99: number; total: number; non2xx: number; errors: number; statuses: Record<string, number> }

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadJob;
const bodies = (job.bodies ?? []).map((b) => JSON.stringify(b));
const fixed = JSON.stringify(job.body ?? {});
let next = 0;

const result = await autocannon({
  url: job.url,
  method: 'POST',
  connections: job.connections,
  duration: job.durationSeconds,
  ...(job.overallRate !== undefined ? { overallRate: job.overallRate } : {}),
  headers: { 'content-type': 'application/json', ...job.headers },
  requests: [{
    setupRequest: (request) => ({
      ...request,
      body: bodies.length > 0 ? bodies[next++ % bodies.length] : fixed,
      headers: {
        ...request.headers,
        ...(job.idempotent === true ? { 'idempotency-key': randomUUID() } : {}),
        ...(job.randomBearer === true ? { authorization: `Bearer snp_${randomBytes(32).toString('base64url')}` } : {}),
      },
    }),
  }],
});
const statuses: Record<string, number> = {};
for (const [code, count] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = (count as { count: number }).count;
const out: LoadResult = {
  requestsPerSecond: result.requests.total / (result.duration || job.durationSeconds),
  p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total,
  non2xx: result.non2xx, errors: result.errors, statuses,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
