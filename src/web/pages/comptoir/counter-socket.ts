// The counter WebSocket as the page uses it: requests answered by id
// ({id, ok, result | error}), availability pushes, and the connection state.
// Same origin, so the browser sends the session cookie with the upgrade.
// Reconnects with a growing delay; a request sent while offline fails at once
// (the page says so) rather than waiting for a socket that may never come back.
export type SocketState = 'connexion' | 'en-direct' | 'hors-ligne' | 'session-terminee';

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
  alternatives?: unknown[];
}

export type Answer<T> = { ok: true; result: T } | { ok: false; error: Problem };

export interface AvailabilityChange { slotId: string; territory: string; available: boolean }

interface Listeners {
  onState(state: SocketState): void;
  onAvailability(changes: AvailabilityChange[], overflow: boolean): void;
  /** After a reconnection: pushes may have been missed while offline. */
  onReconnected(): void;
}

const OFFLINE: Problem = { status: 0, type: 'offline', detail: 'socket closed' };

export class CounterSocket {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (answer: Answer<unknown>) => void>();
  private stopped = false;
  private delay = 500;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private openedOnce = false;

  constructor(private readonly listeners: Listeners) {
    this.connect();
  }

  private connect(): void {
    this.listeners.onState('connexion');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/v1/ws/counter`);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = 500;
      this.listeners.onState('en-direct');
      if (this.openedOnce) this.listeners.onReconnected();
      this.openedOnce = true;
    };
    socket.onmessage = (event) => this.receive(String(event.data));
    socket.onclose = (event) => {
      for (const resolve of this.pending.values()) resolve({ ok: false, error: OFFLINE });
      this.pending.clear();
      if (this.stopped) return;
      if (event.code === 4401) return this.listeners.onState('session-terminee');
      this.listeners.onState('hors-ligne');
      this.timer = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 15_000);
    };
  }

  private receive(data: string): void {
    let message: { id?: unknown; ok?: boolean; result?: unknown; error?: Problem; type?: string; changes?: AvailabilityChange[]; overflow?: boolean };
    try { message = JSON.parse(data) as typeof message; } catch { return; }
    if (message.type === 'availability') {
      this.listeners.onAvailability(message.changes ?? [], message.overflow === true);
      return;
    }
    if (typeof message.id === 'number') {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message.ok === true ? { ok: true, result: message.result } : { ok: false, error: message.error ?? { status: 500 } });
    }
    // Stream events (cancellations by others, unacknowledged bookings) are not shown on this page yet.
  }

  /** One counter request: `triage`, `request`, `match`, `hold`, `book`, `cancel`. */
  request<T>(type: string, body: unknown, idempotencyKey?: string): Promise<Answer<T>> {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) return Promise.resolve({ ok: false, error: OFFLINE });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (answer: Answer<unknown>) => void);
      socket.send(JSON.stringify({ id, type, body, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) }));
    });
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000);
  }
}
