// The three sockets. Authentication (header or ?token=), authorization, the
// client's socket cap and query validation run as HTTP hooks on the upgrade
// request, so a refused client gets the usual problem+json 401/403/429/400 and
// is never upgraded. Each socket is then bound to its client's credential and
// budget (src/ws/hub.ts).
//
// /v1/ws/professional  its own booking stream (booking.created, booking.cancelled, …)
// /v1/ws/coordinator   a territory's stream (booking.unacknowledged), ?territory= when several
// /v1/ws/counter       requests with ids, its own client stream, and availability pushes
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../usecases/actor.js';
import { clientStream, professionalStream, territoryStream } from '../usecases/event-streams.js';
import { fieldUnder, namingFields } from '../usecases/problem.js';
import { clientOf } from '../auth/fastify-authentication.js';
import { observeCounterCommand } from '../observability/ws-outcomes.js';
import { AvailabilityBuffer } from './availability.js';
import { COUNTER_COMMANDS, counterRequestSchema } from './counter-commands.js';
import type { WsHub } from './hub.js';
import { parseMessage, streamQuerySchema, unknownType } from './messages.js';
import { openStream, STREAM_MESSAGE_TYPES, type StreamChannel } from './stream-channel.js';
import { plainText } from '../core/text.js';

const coordinatorQuerySchema = streamQuerySchema.extend({ territory: plainText().min(1).max(63).optional() });
const COUNTER_TYPES = [...Object.keys(COUNTER_COMMANDS), ...STREAM_MESSAGE_TYPES];

const afterOf = (request: FastifyRequest) => (request.query as { after?: number }).after ?? 0;
const territoryOf = (request: FastifyRequest) => (request.query as { territory?: string }).territory;
// A stream's input is the upgrade request's query (`?territory=`).
const upgradeFieldNames = (field: string) => fieldUnder('query', field);

/** The sockets' paths (upgrades elsewhere are plain requests: Fastify routes them, src/server/upgrade-gate.ts leaves them alone). */
export const CHANNEL_PATHS = { professional: '/v1/ws/professional', coordinator: '/v1/ws/coordinator', counter: '/v1/ws/counter' } as const;

export const channelRoutes: FastifyPluginAsync<{ hub: WsHub }> = async (app, { hub }) => {
  const { ctx, feed } = hub;
  const pageSize = hub.options.replayPageSize;

  app.get(CHANNEL_PATHS.professional, {
    websocket: true,
    schema: { querystring: streamQuerySchema },
    preHandler: async (request) => { professionalStream(clientOf(request)); hub.admitUpgrade(clientOf(request)); },
  }, (socket, request) => {
    let stream: StreamChannel | undefined;
    const connection = hub.accept(socket, request.log, async (message, id) => {
      if (await stream?.handle(message, id)) return;
      throw unknownType(message.type, STREAM_MESSAGE_TYPES);
    }, 'professional', clientOf(request));
    stream = openStream(connection, professionalStream(clientOf(request)), ctx, feed, afterOf(request), pageSize);
  });

  app.get(CHANNEL_PATHS.coordinator, {
    websocket: true,
    schema: { querystring: coordinatorQuerySchema },
    preHandler: async (request) => {
      await namingFields(upgradeFieldNames, () => territoryStream(clientOf(request), territoryOf(request)));
      hub.admitUpgrade(clientOf(request));
    },
  }, (socket, request) => {
    let stream: StreamChannel | undefined;
    const connection = hub.accept(socket, request.log, async (message, id) => {
      if (await stream?.handle(message, id)) return;
      throw unknownType(message.type, STREAM_MESSAGE_TYPES);
    }, 'coordinator', clientOf(request));
    stream = openStream(connection, territoryStream(clientOf(request), territoryOf(request)), ctx, feed, afterOf(request), pageSize);
  });

  app.get(CHANNEL_PATHS.counter, {
    websocket: true,
    schema: { querystring: streamQuerySchema },
    preHandler: async (request) => { clientStream(clientOf(request)); hub.admitUpgrade(clientOf(request)); },
  }, (socket, request) => {
    const client = clientOf(request);
    let stream: StreamChannel | undefined;
    const connection = hub.accept(socket, request.log, async (message, id) => {
      if (await stream?.handle(message, id)) return;
      const command = typeof message.type === 'string' && Object.hasOwn(COUNTER_COMMANDS, message.type) ? COUNTER_COMMANDS[message.type] : undefined;
      if (command === undefined) throw unknownType(message.type, COUNTER_TYPES);
      const envelope = parseMessage(counterRequestSchema, message);
      // The audit trail names the upgrade request and the message, as HTTP names its request.
      const outcome = await observeCounterCommand(envelope.type, () => command(ctx, actorOf(client, `${request.id}:${String(envelope.id)}`), envelope.body, envelope.idempotencyKey));
      connection.send({ id: envelope.id, ok: true, result: outcome.result, ...(outcome.replayed ? { replayed: true } : {}) });
    }, 'counter', client);
    stream = openStream(connection, clientStream(client), ctx, feed, afterOf(request), pageSize);
    const availability = new AvailabilityBuffer(connection, client.territories, hub.options.availability);
    connection.onClose(hub.availability.add(availability));
  });
};
