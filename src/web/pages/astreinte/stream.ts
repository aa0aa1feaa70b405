// The professional's booking stream: the socket /v1/ws/professional with a
// resume cursor. The cursor (the highest eventId handled) is kept in
// localStorage per RPPS, so a reconnection — or a reload — asks only for what
// came after it (`?after=`) and never loses an event the server still holds.
// The first connection of a page asks for every unacknowledged event (those
// not confirmed yet must be shown again); events at or below the stored cursor
// are marked `seen` so they are not announced a second time.
import type { LiveState } from '../../live.js';

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
  const waiting = new Map<string, (ok: boolean) => void>();
  let socket: WebSocket | undefined;
  let stopped = false;
  let delay = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;

  const keep = (eventId: number) => {
    if (eventId <= cursor) return;
    cursor = eventId;
    localStorage.setItem(cursorKey(rpps), String(cursor));
  };

  const receive = (raw: string) => {
    let message: { type?: unknown; eventId?: unknown; id?: unknown; ok?: unknown; lastEventId?: unknown };
    try { message = JSON.parse(raw) as typeof message; } catch { return; }
    if (typeof message.id === 'string' && waiting.has(message.id)) {
      waiting.get(message.id)!(message.ok === true);
      waiting.delete(message.id);
      return;
    }
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

  const connect = () => {
    if (firstConnection) handlers.onState('connexion'); // a retry stays « hors ligne » until it opens
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = firstConnection ? '' : `?after=${cursor}`;
    const current = new WebSocket(`${scheme}://${location.host}/v1/ws/professional${query}`);
    socket = current;
    current.onopen = () => { delay = 500; firstConnection = false; handlers.onState('en-direct'); };
    current.onmessage = (event) => { if (typeof event.data === 'string') receive(event.data); };
    current.onclose = (event) => {
      for (const resolve of waiting.values()) resolve(false);
      waiting.clear();
      if (stopped || socket !== current) return;
      if (event.code === 4401) return handlers.onState('session-terminee');
      handlers.onState('hors-ligne');
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5_000);
    };
  };
  // The browser knows before the socket does: reconnect at once when the network is back.
  const online = () => {
    if (socket?.readyState === WebSocket.OPEN || stopped) return;
    clearTimeout(timer);
    delay = 500;
    connect();
  };
  const offline = () => { if (!stopped) socket?.close(4000, 'offline'); };
  addEventListener('online', online);
  addEventListener('offline', offline);
  connect();

  return {
    ack(eventId) {
      if (socket?.readyState !== WebSocket.OPEN) return Promise.resolve(false);
      const id = `ack-${nextId++}`;
      return new Promise<boolean>((resolve) => {
        waiting.set(id, resolve);
        socket!.send(JSON.stringify({ id, type: 'ack', eventId }));
      });
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      removeEventListener('online', online);
      removeEventListener('offline', offline);
      socket?.close(1000);
    },
  };
}
