// The load generator, run as its own process so it does not share an event loop
// with the server it measures. Reads a JSON job from the file argv[2], prints
// one JSON result line. Bodies are sent round-robin (or the fixed `body`); with
// `idempotent`, each request carries a fresh Idempotency-Key; with
// `randomBearer`, a fresh well-formed but unknown token (an attacker's flood).
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { summarise, withHeldBackRequests } from './stats.js';

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

export interface LoadResult {
  requestsPerSecond: number; p50: number; p99: number; total: number; non2xx: number; errors: number; statuses: Record<string, number>;
  /** The load generator's own CPU time (ms), start to end: what it took from a machine it shares with the service. */
  cpuMs: number;
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadJob;
const bodies = (job.bodies ?? []).map((b) => JSON.stringify(b));
const fixed = JSON.stringify(job.body ?? {});
let next = 0;

// A paced run (`overallRate`) measures its latencies itself. autocannon 9 corrects
// paced latencies for coordinated omission with an expected interval of
// `Math.ceil(1 / rate)` where `rate` is requests a second a connection: 1 ms for
// any rate over 1/s, so one 20 ms answer at 40/s is recorded with 19 made-up
// samples (19, 18, … 1 ms) and a single slow answer sets the p99. Here the
// correction uses the interval the pacing really has (1000 × connections /
// overallRate ms), and the samples keep hrtime's precision (autocannon's
// histogram rounds to whole ms).
const paced = job.overallRate !== undefined;
const expectedIntervalMs = paced ? (1000 * job.connections) / job.overallRate! : 0;
const pacedLatencies: number[] = [];
let finished!: (result: autocannon.Result) => void;
let failed!: (error: unknown) => void;
const done = new Promise<autocannon.Result>((resolve, reject) => { finished = resolve; failed = reject; });
const instance = autocannon({
  url: job.url,
  method: 'POST',
  connections: job.connections,
  duration: job.durationSeconds,
  ...(paced ? { overallRate: job.overallRate, ignoreCoordinatedOmission: true } : {}),
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
}, (error, result) => (error ? failed(error) : finished(result)));
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (!paced || statusCode < 200 || statusCode > 299) return;
  pacedLatencies.push(responseTime);
});
const result = await done;
const latency = paced ? summarise(withHeldBackRequests(pacedLatencies, expectedIntervalMs)) : { p50: result.latency.p50, p99: result.latency.p99 };
const statuses: Record<string, number> = {};
for (const [code, count] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = (count as { count: number }).count;
const out: LoadResult = {
  requestsPerSecond: result.requests.total / (result.duration || job.durationSeconds),
  p50: latency.p50, p99: latency.p99, total: result.requests.total,
  non2xx: result.non2xx, errors: result.errors, statuses,
  cpuMs: cpuMs(process.cpuUsage()),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
