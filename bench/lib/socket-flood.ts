// A hostile client's sockets, run as its own process: `sockets` counter
// sockets on ONE token, each sending `match` as fast as it is answered; a
// socket that is closed (message rate, credential) is reopened after 100 ms,
// as an attacker would. Reads a JSON job from the file argv[2], prints one
// JSON result line: upgrades accepted and refused (by status), answers by
// status, closes by code.
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

export interface SocketFloodJob { url: string; token: string; sockets: number; durationSeconds: number; body: unknown }
export interface SocketFloodResult {
  opened: number;
  refusedUpgrades: Record<string, number>;
  answers: Record<string, number>;
  closes: Record<string, number>;
  /** This process's CPU time (ms), start to end. */
  cpuMs: number;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as SocketFloodJob;
const result: SocketFloodResult = { opened: 0, refusedUpgrades: {}, answers: {}, closes: {}, cpuMs: 0 };
const count = (table: Record<string, number>, key: string | number) => { table[key] = (table[key] ?? 0) + 1; };
const endAt = Date.now() + job.durationSeconds * 1000;
const message = (id: number) => JSON.stringify({ id, type: 'match', body: job.body });

function run(): Promise<void> {
  return new Promise((resolve) => {
    if (Date.now() >= endAt) return resolve();
    const socket = new WebSocket(`${job.url.replace(/^http/, 'ws')}/v1/ws/counter`, { headers: { authorization: `Bearer ${job.token}` } });
    let next = 0;
    let settled = false;
    // Once per socket: reopen (an attacker retries) or, past the end, stop.
    const settle = () => {
      if (settled) return;
      settled = true;
      if (Date.now() < endAt) setTimeout(() => void run().then(resolve), 100);
      else resolve();
    };
    socket.on('unexpected-response', (request, response) => { count(result.refusedUpgrades, response.statusCode ?? 0); request.destroy(); settle(); });
    socket.on('error', () => {});
    socket.on('open', () => { result.opened++; socket.send(message(next++)); });
    socket.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { ok?: boolean; error?: { status: number } };
      if (typeof m.ok !== 'boolean') return; // pushes: ready, availability
      count(result.answers, m.ok ? 200 : m.error?.status ?? 0);
      if (Date.now() < endAt) socket.send(message(next++));
      else socket.close(1000);
    });
    socket.on('close', (code) => {
      if (code !== 1000) count(result.closes, code);
      settle();
    });
  });
}

await Promise.all(Array.from({ length: job.sockets }, () => run()));
const usage = process.cpuUsage();
result.cpuMs = (usage.user + usage.system) / 1000;
process.stdout.write(`${JSON.stringify(result)}\n`);
