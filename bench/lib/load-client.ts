// The load generator, run as its own process so it does not share an event loop
// with the server it measures. Reads a JSON job from the file argv[2], prints a JSON result.
//   { url, connections, durationSeconds, headers, bodies: [ ...JSON bodies, sent round-robin ] }
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

interface Job { url: string; connections: number; durationSeconds: number; headers: Record<string, string>; bodies: unknown[] }

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
const bodies = job.bodies.map((b) => JSON.stringify(b));
let next = 0;

const result = await autocannon({
  url: job.url,
  method: 'POST',
  connections: job.connections,
  duration: job.durationSeconds,
  headers: { 'content-type': 'application/json', ...job.headers },
  requests: [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
});
process.stdout.write(JSON.stringify({
  requestsPerSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
  total: result.requests.total,
}));
