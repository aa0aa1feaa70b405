// The professional's booking stream: the socket /v1/ws/professional with a
// resume cursor. The cursor (the highest eventId handled) is kept in
// localStorage per RPPS, so a reconnection — or a reload — asks only for what
// came after it (`?after=`) and never loses an event the server still holds.
// The first connection of a page asks for every unacknowledged event (those
// not confirmed yet must be shown again); events at or below the stored cursor
// are marked `seen` so they are not announced a second time.
import { openLiveSocket, type LiveState } from '../../live.js';

export interface StreamEvent {
  type: string;
  eventId: number;
  booking?: Record<string, unknown>;
}

export interface StreamHandlers {
  onState(state: LiveState): void;
  /** A booking event, once per eventId for the page's life; `seen`: handled by an earlier page. */
  onEvent(event: StreamEvent, seen: boolean): void;
  /** The replay is over: live events follow (the page re-reads its list). */
  onReady(): void;
}

export interface BookingStream {
  /** Acknowledges an event; resolves true once the server confirmed it. */
  ack(eventId: number): Promise<boolean>;
  stop(): void;
}

const cursorKey = (rpps: string) => `snp.astreinte.after.${rpps}`;

export function storedCursor(rpps: string): number {
  const value = Number(localStorage.getItem(cursorKey(rpps)) ?? '0');
  return Number.isInteger(value) && value > 0 ? value : 0;
}

export function openBookingStream(rpps: string, handlers: StreamHandlers): BookingStream {
  const seenBefore = storedCursor(rpps);
  let cursor = seenBefore;
  let firstConnection = true;
  const delivered = new Set<number>();

  const keep = (eventId: number) => {
    if (eventId <= cursor) return;
    cursor = eventId;
    localStorage.setItem(cursorKey(rpps), String(cursor));
  };

  const receive = (message: { type?: unknown; eventId?: unknown; lastEventId?: unknown }) => {
    if (message.type === 'ready') { handlers.onReady(); return; }
    if (message.type === 'cursor-reset' && typeof message.lastEventId === 'number') {
      // Our cursor came from another stream (a database restored, a shared browser): start again from its head.
      cursor = message.lastEventId;
      localStorage.setItem(cursorKey(rpps), String(cursor));
      return;
    }
    if (typeof message.eventId !== 'number' || typeof message.type !== 'string') return;
    if (delivered.has(message.eventId)) return; // at-least-once delivery: a replay may repeat it
    delivered.add(message.eventId);
    handlers.onEvent(message as StreamEvent, message.eventId <= seenBefore);
    keep(message.eventId);
  };

  const live = openLiveSocket({
    path: () => `/v1/ws/professional${firstConnection ? '' : `?after=${cursor}`}`,
    onState: handlers.onState, onMessage: receive, onOpen: () => { firstConnection = false; },
    announceConnecting: 'until-first-open', maxDelayMs: 5_000,
    // The browser knows before the socket does: reconnect at once when the network is back.
    followNetwork: true,
  });
  return { ack: (eventId) => live.request({ type: 'ack', eventId }), stop: () => live.stop() };
}
