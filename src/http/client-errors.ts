// Requests refused before any route sees them still get a machine-readable
// answer: problem+json, or an OperationOutcome when the URL is under /fhir.
// Fastify's defaults write a JSON shape of their own. Two places: Node's HTTP
// parser (a URL or headers beyond 16 KB, malformed framing, a request too slow
// to arrive) and Fastify's router (a path parameter beyond 100 characters, a
// malformed percent-encoding in the path).
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorOutcome } from '../sas/resources/index.js';
import { PROBLEM_CONTENT_TYPE, problemType } from '../usecases/problem.js';

interface ParserError extends Error { code?: string; rawPacket?: unknown }

const REFUSALS: Record<string, { status: number; slug: string; detail: string; issue: 'too-costly' | 'timeout' }> = {
  HPE_HEADER_OVERFLOW: { status: 431, slug: 'headers-too-large', detail: 'the request line and headers exceed 16 KB', issue: 'too-costly' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, slug: 'request-timeout', detail: 'the request did not arrive in time', issue: 'timeout' },
};

export function clientErrorHandler(error: ParserError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = error.code !== undefined ? REFUSALS[error.code] : undefined;
  const status = known?.status ?? 400;
  const detail = known?.detail ?? 'the request is not valid HTTP/1.1';
  const head = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1', 0, 16) : '';
  const fhir = /^[A-Z]+ \/fhir[/?]/.test(head);
  const [type, body] = fhir
    ? ['application/fhir+json; charset=utf-8', JSON.stringify(errorOutcome(known?.issue ?? 'structure', detail))]
    : [PROBLEM_CONTENT_TYPE, JSON.stringify({ type: problemType(known?.slug ?? 'malformed-request'), title: STATUS_CODES[status], status, detail })];
  if (handled.has(socket)) return;
  handled.add(socket);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: ${type}\r\nConnection: close\r\n\r\n${body}`);
  }
  // Lingering close: a client may still be sending the rest of an oversized
  // request line or headers; closing at once would reset the connection and
  // lose the answer. Send, half-close, discard what still comes for a moment.
  socket.removeAllListeners('data');
  socket.on('data', () => {});
  socket.on('error', () => {});
  socket.end();
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

const LINGER_MS = 2_000;
// The parser, once in error, reports again on every chunk still arriving: answer once.
const handled = new WeakSet<Socket>();

const ROUTER_REFUSALS: Record<string, { slug: string; detail: string }> = {
  FST_ERR_MAX_PARAM_LENGTH: { slug: 'uri-too-long', detail: 'a path parameter is longer than 100 characters' },
  FST_ERR_BAD_URL: { slug: 'malformed-url', detail: 'the path is not a valid URL (bad percent-encoding?)' },
};

export function refuseBeforeRouting(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400;
  const known = ROUTER_REFUSALS[error.code] ?? { slug: 'client-error', detail: 'the request was refused' };
  if (request.url.startsWith('/fhir/')) {
    void reply.code(status).type('application/fhir+json; charset=utf-8').send(JSON.stringify(errorOutcome(status === 414 ? 'too-costly' : 'invalid', known.detail)));
    return;
  }
  void reply.code(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({ type: problemType(known.slug), title: STATUS_CODES[status] ?? 'Bad request', status, detail: known.detail }));
}
