// A configured Fastify instance: logging with redaction, timeouts, limits,
// zod validation, fast serialisation, refusals before routing in each transport's wording.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { AccessLog, logAbortedRequests } from './access-log.js';
import { registerApp, type AppContext } from './app.js';
import { clientErrorHandler, refuseBeforeRouting } from './client-errors.js';
import { answerDatabaseOutagesWith503 } from './plugins/database-unavailable.js';
import { closeConnectionsWhileDraining } from './plugins/drain.js';
import { deliverEarlyRefusals } from './plugins/early-refusals.js';
import { writeAnswersAtEndOfTurn } from './plugins/end-of-turn-writes.js';
import { registerUnderPressure } from './plugins/under-pressure.js';
import { problemRefusal } from './refusal-wordings.js';
import { RefusalWordings } from './refusals.js';
import { serverFactory } from './http-server.js';
import { throttleGate } from './throttle-gate.js';
import { upgradeGate } from './upgrade-gate.js';
import { ClientBudget } from '../auth/client-budget.js';
import { CHANNEL_PATHS } from '../ws/channels.js';
import { tlsOptions } from './tls-options.js';
import { serializerCompiler, validatorCompiler } from './zod-compilers.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildServer(config: Config, logger: Logger, context: AppContext): Promise<FastifyInstance> {
  // problem+json, but under the prefixes whose transports register their own wording.
  const refusals = new RefusalWordings(problemRefusal);
  // The one per-client budget: Fastify's rate-limit hooks and the upgrade gate charge it alike.
  const clientBudget = context.clientBudget ?? new ClientBudget(context.rateLimitPerMinute ?? 3000);
  const refuseRouting = refuseBeforeRouting(refusals);
  const timeouts = {
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    pluginTimeout: config.PLUGIN_TIMEOUT_MS,
    connectionTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: 72_000, // longer than common load balancer idle timeouts (60 s)
  };
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request, on completion (arrivals at debug).
    logController: new AccessLog(),
    bodyLimit: config.BODY_LIMIT_BYTES,
    ...timeouts,
    // HTTP, or HTTPS with mutual TLS (TLS_* variables).
    // Refusals of a throttled address answered before Fastify; off behind a proxy (the address is X-Forwarded-For's).
    serverFactory: serverFactory(tlsOptions(config), timeouts, {
      request: config.TRUST_PROXY === undefined ? throttleGate(context.authenticator, refusals, config.AUTH_TARPIT_FREE_PER_SECOND) : undefined,
      // Upgrades of a client at its socket cap, refused ahead of @fastify/websocket.
      upgrade: context.ws === undefined ? undefined : upgradeGate({
        authenticator: context.authenticator, sockets: context.ws, budget: clientBudget, paths: Object.values(CHANNEL_PATHS),
        certificates: context.clientCertificates !== undefined, logger,
      }),
    }),
    // Served, then the connection closed (plugins/drain.ts): a load balancer retries a refusal elsewhere, but a request it already sent should be answered.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    clientErrorHandler: clientErrorHandler(refusals),
    // The client's address (request.ip) keys the failed-authentication budget: behind a proxy, from X-Forwarded-For.
    ...(config.TRUST_PROXY !== undefined ? { trustProxy: config.TRUST_PROXY } : {}),
    frameworkErrors: (error, request, reply) => refuseRouting(error, request as unknown as FastifyRequest, reply as unknown as FastifyReply),
    // A caller's request id is kept so that its logs and ours line up. Not as
    // requestIdHeader: Fastify would take the header unchecked and skip genReqId.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Synchronous hooks on every request: an async one costs a promise and a turn of the microtask queue.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  logAbortedRequests(app);
  answerDatabaseOutagesWith503(app);
  deliverEarlyRefusals(app); // before the drain hook, which closes every connection once closing
  closeConnectionsWhileDraining(app);
  writeAnswersAtEndOfTurn(app); // the last global onSend hook: every header is set
  await registerUnderPressure(app, {
    maxEventLoopDelayMs: config.PRESSURE_MAX_EVENT_LOOP_DELAY_MS, maxHeapUsedBytes: config.PRESSURE_MAX_HEAP_USED_BYTES, readiness: context.readiness,
  });
  await registerApp(app, { ...context, clientBudget }, refusals);
  return app;
}
