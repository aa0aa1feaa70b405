// The pages' sockets to the service: same origin, so the browser sends the
// session cookie with the upgrade. Reconnects with a growing delay; a close
// with 4401 (session ended) sends the person back to the login. Requests
// (`{ id, … }`) resolve with the server's `ok`, or false when the socket is
// not open or closes before the answer.
export type LiveState = 'connexion' | 'en-direct' | 'hors-ligne' | 'session-terminee';

export interface LiveSocketOptions {
  /** Path and query of each connection, asked again at every reconnection (a resume cursor may have moved). */
  path(): string;
  onState(state: LiveState): void;
  /** Every message that is not the answer to a request. */
  onMessage?(message: Record<string, unknown>): void;
  onOpen?(): void;
  /** When « connexion » is shown: at every attempt, at each until one has opened, or at the first only (a retry stays « hors ligne » until it opens). */
  announceConnecting: 'every-attempt' | 'until-first-open' | 'first-attempt';
  maxDelayMs: number;
  /** Reconnect at once when the browser says the network is back, close when it says it is gone. */
  followNetwork?: boolean;
}

export interface LiveSocket {
  request(message: Record<string, unknown>): Promise<boolean>;
  stop(): void;
}

const FIRST_DELAY_MS = 500;

export function openLiveSocket(options: LiveSocketOptions): LiveSocket {
  const waiting = new Map<string, (ok: boolean) => void>();
  let socket: WebSocket | undefined;
  let stopped = false;
  let attempts = 0;
  let opened = false;
  let delay = FIRST_DELAY_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;

  const receive = (raw: unknown) => {
    if (typeof raw !== 'string') return;
    let message: Record<string, unknown>;
    try { message = JSON.parse(raw) as Record<string, unknown>; } catch { return; }
    if (message === null || typeof message !== 'object') return;
    const answered = typeof message.id === 'string' ? waiting.get(message.id) : undefined;
    if (answered !== undefined) {
      waiting.delete(message.id as string);
      answered(message.ok === true);
      return;
    }
    options.onMessage?.(message);
  };

  const connect = () => {
    const announce = options.announceConnecting === 'every-attempt'
      || (options.announceConnecting === 'until-first-open' && !opened) || attempts === 0;
    if (announce) options.onState('connexion');
    attempts++;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const current = new WebSocket(`${scheme}://${location.host}${options.path()}`);
    socket = current;
    current.onopen = () => { delay = FIRST_DELAY_MS; opened = true; options.onOpen?.(); options.onState('en-direct'); };
    current.onmessage = (event) => receive(event.data);
    current.onclose = (event) => {
      for (const resolve of waiting.values()) resolve(false);
      waiting.clear();
      if (stopped || socket !== current) return;
      if (event.code === 4401) return options.onState('session-terminee');
      options.onState('hors-ligne');
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, options.maxDelayMs);
    };
  };

  const online = () => {
    if (socket?.readyState === WebSocket.OPEN || stopped) return;
    clearTimeout(timer);
    delay = FIRST_DELAY_MS;
    connect();
  };
  const offline = () => { if (!stopped) socket?.close(4000, 'offline'); };
  if (options.followNetwork === true) {
    addEventListener('online', online);
    addEventListener('offline', offline);
  }
  connect();

  return {
    request(message) {
      if (socket?.readyState !== WebSocket.OPEN) return Promise.resolve(false);
      const id = `req-${nextId++}`;
      const open = socket;
      return new Promise<boolean>((resolve) => {
        waiting.set(id, resolve);
        open.send(JSON.stringify({ id, ...message }));
      });
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      if (options.followNetwork === true) {
        removeEventListener('online', online);
        removeEventListener('offline', offline);
      }
      socket?.close(1000);
    },
  };
}

/** A role's live socket, for its connection state only. */
export function openLive(channel: string, territory: string | undefined, onState: (state: LiveState) => void): () => void {
  const query = territory === undefined ? '' : `?territory=${encodeURIComponent(territory)}`;
  const live = openLiveSocket({ path: () => `/v1/ws/${channel}${query}`, onState, announceConnecting: 'every-attempt', maxDelayMs: 15_000 });
  return () => live.stop();
}
