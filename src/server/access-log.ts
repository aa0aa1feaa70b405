// One log line per request, written when it ends: method, URL (redacted), host,
// client address, status, duration and request id together, as an access log
// has them. Fastify's default is two lines, "incoming request" on arrival and
// "request completed"; one line costs about 60 % of two (bench/log-lines.ts,
// same run). The arrival line stays, at debug: an operator
// chasing a request that never ends sets LOG_LEVEL=debug. A request its client
// gave up on gets its line too ("request aborted"), so none goes unlogged.
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

export class AccessLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** The client closed the connection before its answer: no "request completed" will come. */
export function logAbortedRequests(app: FastifyInstance): void {
  app.addHook('onRequestAbort', (request, done) => {
    request.log.info({ req: request }, 'request aborted');
    done();
  });
}
