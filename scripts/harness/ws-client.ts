// A real `ws` client that records every message, for the WebSocket tests.
import WebSocket from 'ws';

export interface Closed { code: number; reason: string }

export class TestSocket {
  readonly messages: any[] = [];
  readonly closed: Promise<Closed>;
  private waiters: { predicate: (m: any) => boolean; resolve: (m: any) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('error', () => {});
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      this.messages.push(message);
      for (const waiter of [...this.waiters]) {
        if (waiter.predicate(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
  }

  /**
   * Opens `path` on the service with the token as a Bearer header (or `?token=` with `query: true`);
   * `tls`: the CA to trust and the client certificate to present (an empty token sends no credential but it).
   */
  static open(base: string, path: string, token: string, options: { query?: boolean; autoPong?: boolean; tls?: { ca: string; cert?: string; key?: string } } = {}): Promise<TestSocket> {
    const url = new URL(path, base.replace(/^http/, 'ws'));
    if (options.query) url.searchParams.set('token', token);
    const socket = new WebSocket(url, {
      ...(options.query || token === '' ? {} : { headers: { authorization: `Bearer ${token}` } }),
      ...(options.tls ?? {}),
      ...(options.autoPong === false ? { autoPong: false } : {}),
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new TestSocket(socket)));
      socket.once('unexpected-response', (request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => { body += chunk.toString(); });
        response.on('end', () => request.destroy());
        response.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode, body: body === '' ? undefined : JSON.parse(body) })));
      });
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (already received or to come) that matches. */
  waitFor(predicate: (m: any) => boolean, timeoutMs = 5_000, what = 'a message'): Promise<any> {
    const seen = this.messages.find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages.slice(-5))}`));
      }, timeoutMs);
      const done = (m: any) => { clearTimeout(timer); resolve(m); };
      this.waiters.push({ predicate, resolve: done });
    });
  }

  /** Sends a message with an id and waits for the answer with that id. */
  async request(message: Record<string, unknown> & { id: string | number }, timeoutMs = 5_000): Promise<any> {
    const answer = this.waitFor((m) => m.id === message.id && typeof m.ok === 'boolean', timeoutMs, `the answer to ${message.id}`);
    this.send(message);
    return answer;
  }

  events(type?: string): any[] {
    return this.messages.filter((m) => typeof m.eventId === 'number' && (type === undefined || m.type === type));
  }

  async close(): Promise<Closed> {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(1000);
    return this.closed;
  }
}
