// The part of every channel that reads an outbox stream: the first replay,
// `{type:"ack", eventId}` and `{type:"resume", after}`.
import type { OutboxFeed } from '../db/outbox/outbox-feed.js';
import type { StreamRef } from '../db/outbox/streams.js';
import type { UseCaseContext } from '../usecases/context.js';
import { acknowledgeEvent } from '../usecases/event-streams.js';
import { namingFields } from '../usecases/problem.js';
import type { Connection, MessageId } from './connection.js';
import { StreamDelivery } from './event-stream.js';
import { ackMessageSchema, messageFieldNames, parseMessage, resumeMessageSchema } from './messages.js';

export const STREAM_MESSAGE_TYPES = ['ack', 'resume'] as const;

export interface StreamChannel {
  /** Handles ack and resume; false for any other type. */
  handle(message: Record<string, unknown>, id: MessageId): Promise<boolean>;
}

export function openStream(connection: Connection, stream: StreamRef, ctx: UseCaseContext, feed: OutboxFeed, after: number, pageSize: number): StreamChannel {
  const delivery = new StreamDelivery(connection, stream, ctx, feed, pageSize);
  // A replay that fails leaves the socket behind: close it, the client resumes elsewhere.
  const resume = (from: number) => delivery.resume(from).catch((error: unknown) => {
    connection.log.warn({ err: error }, 'event replay failed; closing');
    connection.close(1011, 'replay failed; reconnect');
  });
  void resume(after);
  return {
    async handle(message, id) {
      if (message.type === 'ack') {
        const { eventId } = parseMessage(ackMessageSchema, message);
        await namingFields(messageFieldNames, () => acknowledgeEvent(ctx, stream, eventId));
        connection.reply(id, { eventId });
        return true;
      }
      if (message.type === 'resume') {
        const { after: from } = parseMessage(resumeMessageSchema, message);
        connection.reply(id, { after: from });
        await resume(from);
        return true;
      }
      return false;
    },
  };
}
