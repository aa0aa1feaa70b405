// Which outbox stream a client reads, replaying what it missed, acknowledging.
// A professional reads its own stream, a coordinator the stream of one of its
// territories, a requester (pharmacist, regulator) its own client stream
// (cancellations by others, escalations of its bookings).
import { requireRole, requireTerritory, defaultTerritory } from './scopes.js';
import type { AuthenticatedClient } from './client.js';
import type { UseCaseContext } from './context.js';
import type { ReplayPage, StreamRef } from './event-stream-store.js';
import { ApiProblem, validationProblem } from './problem.js';

export function professionalStream(client: AuthenticatedClient): StreamRef {
  requireRole(client, ['professional']);
  if (client.professionalId === null) throw new ApiProblem(403, 'forbidden-role', 'Forbidden', 'this client is not bound to a professional');
  return { kind: 'professional', id: client.professionalId };
}

export function territoryStream(client: AuthenticatedClient, territory: string | undefined): StreamRef {
  requireRole(client, ['coordinator']);
  const id = territory ?? defaultTerritory(client);
  if (id === undefined) throw validationProblem([{ field: 'territory', message: 'this client has several territories: name one' }]);
  requireTerritory(client, id);
  return { kind: 'territory', id };
}

export function clientStream(client: AuthenticatedClient): StreamRef {
  requireRole(client, ['pharmacist', 'regulator']);
  return { kind: 'client', id: client.id };
}

/** Unacknowledged events after `after`, oldest first, at most `limit`. */
export function replayEvents(ctx: UseCaseContext, stream: StreamRef, after: number, limit: number): Promise<ReplayPage> {
  return ctx.eventStreams.readUnacked(stream, after, limit);
}

/** The position of the stream's last event (0: none yet): a cursor beyond it would skip events still to come. */
export function streamPosition(ctx: UseCaseContext, stream: StreamRef): Promise<number> {
  return ctx.eventStreams.head(stream);
}

/** Marks one event of the stream acknowledged (and its booking, for booking.created). Repeating it is harmless. */
export async function acknowledgeEvent(ctx: UseCaseContext, stream: StreamRef, eventId: number): Promise<void> {
  const result = await ctx.eventStreams.ack(stream, eventId);
  if (result === 'unknown') throw new ApiProblem(404, 'not-found', 'Not found', `event ${eventId} not found in this stream`, { errors: [{ field: 'eventId', message: 'no such event' }] });
}
