// A request that failed because PostgreSQL is unreachable (a restart, a dropped
// connection, an exhausted pool) is answered 503 with Retry-After, under /v1
// (problem+json) and /fhir (OperationOutcome) alike: both error handlers
// already answer any error carrying statusCode 503 that way. onError runs just
// before the scope's error handler, so marking the error here covers every scope.
import type { FastifyInstance } from 'fastify';
import { isDatabaseUnavailable } from '../../db/unavailable.js';

export function answerDatabaseOutagesWith503(app: FastifyInstance): void {
  app.addHook('onError', async (_request, _reply, error) => {
    if ((error as { statusCode?: number }).statusCode === undefined && isDatabaseUnavailable(error)) {
      (error as { statusCode?: number }).statusCode = 503;
    }
  });
}
