// A body refused before it is read (over BODY_LIMIT_BYTES) must still get its
// 413 to the client. Fastify answers it with `Connection: close` and closes the
// socket as soon as the answer is written: a client still uploading the rest of
// the body then gets a reset (EPIPE), and loses the answer. Without that
// header, Node reads and discards the rest of the body (bounded by
// REQUEST_TIMEOUT_MS) and the client reads its 4xx; the connection stays usable.
import type { FastifyInstance } from 'fastify';

export function deliverEarlyRefusals(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.raw.complete && reply.statusCode >= 400 && reply.statusCode < 500 && reply.getHeader('connection') === 'close') {
      reply.removeHeader('connection');
    }
    done(null, payload);
  });
}
