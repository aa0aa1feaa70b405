// Graceful drain. Once the server starts closing, every response says
// `Connection: close`: server.close() waits for every open connection, and a
// keep-alive connection whose request was in flight would otherwise stay open
// (idle) until keepAliveTimeout, past the shutdown grace period. Requests that
// still arrive on an open connection meanwhile are served (the pool is closed
// only after the server), not refused.
import type { FastifyInstance } from 'fastify';

export function closeConnectionsWhileDraining(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => { closing = true; });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}
