// Requests refused before any route sees them still get a machine-readable
// answer, in the wording of the transport the URL is under (src/server/refusals.ts):
// problem+json, or an OperationOutcome under /fhir. Fastify's defaults write a
// JSON shape of their own. Two places: Node's HTTP parser (a URL or headers
// beyond 16 KB, malformed framing, a request too slow to arrive) and Fastify's
// router (a path parameter beyond 100 characters, a malformed percent-encoding
// in the path).
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Refusal, RefusalWordings } from './refusals.js';

interface ParserError extends Error { code?: string; rawPacket?: unknown }

const PARSER_REFUSALS: Record<string, Refusal> = {
  HPE_HEADER_OVERFLOW: { status: 431, slug: 'headers-too-large', detail: 'the request line and headers exceed 16 KB', kind: 'too-large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, slug: 'request-timeout', detail: 'the request did not arrive in time', kind: 'timeout' },
};
const MALFORMED: Refusal = { status: 400, slug: 'malformed-request', detail: 'the request is not valid HTTP/1.1', kind: 'unparsable' };

/** Node's `clientError` handler: answers what its HTTP parser refused, then closes. */
export function clientErrorHandler(wordings: RefusalWordings): (error: ParserError, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const refusal = (error.code !== undefined ? PARSER_REFUSALS[error.code] : undefined) ?? MALFORMED;
    const { contentType, body } = wordings.answer(requestTargetOf(error.rawPacket), refusal);
    if (handled.has(socket)) return;
    handled.add(socket);
    if (socket.writable) {
      const { status } = refusal;
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: ${contentType}\r\nConnection: close\r\n\r\n${body}`);
    }
    lingerAndClose(socket);
  };
}

/** The request target at the start of what the parser refused, as far as its first 16 bytes tell. */
function requestTargetOf(rawPacket: unknown): string {
  const head = Buffer.isBuffer(rawPacket) ? rawPacket.toString('latin1', 0, 16) : '';
  return /^[A-Z]+ (\S*)/.exec(head)?.[1] ?? '';
}

function lingerAndClose(socket: Socket): void {
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

/** Fastify's `frameworkErrors`: answers what its router refused. */
export function refuseBeforeRouting(wordings: RefusalWordings): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    const status = error.statusCode ?? 400;
    const known = ROUTER_REFUSALS[error.code] ?? { slug: 'client-error', detail: 'the request was refused' };
    const { contentType, body } = wordings.answer(request.url, { status, ...known, kind: status === 414 ? 'too-large' : 'invalid' });
    void reply.code(status).type(contentType).send(body);
  };
}
