// One client socket behind its guards: its credential (once revoked, expired
// or rescoped, nothing more is handled or sent), a rate limit per socket and
// the client's budget shared with its HTTP requests and other sockets (a
// refusal per excess message, a policy close 1008 when it goes on; after a
// refusal for the client's budget, the socket's next frames wait, unanswered,
// until the budget can give one more (read no further while a small queue is
// full, so TCP pushes back on the peer): a flood costs one refusal per socket
// and wait, not one per frame and a reconnect every 20), text JSON objects only, a liveness flag for the heartbeat, and sends that never queue
// without bound.
// Every frame problem is answered as {id, ok:false, error} with the same
// problem body as HTTP; nothing a client sends can throw out of here.
import type { FastifyBaseLogger } from 'fastify';
import WebSocket from 'ws';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { ApiProblem, type ProblemBody } from '../usecases/problem.js';
import { TokenBucket } from './token-bucket.js';

export interface ConnectionLimits {
  /** Sustained messages per second, and the burst allowed above it. */
  ratePerSecond: number;
  burst: number;
  /** Refused messages in a row before the policy close. */
  maxStrikes: number;
  /** Above this many bytes waiting in the socket, the peer is too slow: closed (it resumes elsewhere). */
  maxBufferedBytes: number;
}

/** What a socket is checked against beyond its own limits. */
export interface ConnectionGuards {
  /** The credential the socket was opened with (src/auth/credential-watch.ts); its end closes the socket. */
  credential?: { readonly active: boolean };
  /** Charges one message to the client's budget: undefined when within it, else the refusal. */
  charge?: () => ApiProblem | undefined;
}

export const CLOSE = { goingAway: 1001, policy: 1008, tryAgainLater: 1013 } as const;

export type MessageId = string | number | null;

const UNAVAILABLE: ProblemBody = { type: 'urn:problem:snp-match:unavailable', title: 'Service unavailable', status: 503, detail: 'the service is overloaded or not ready; retry shortly', retryAfterSeconds: 1 };
const INTERNAL: ProblemBody = { type: 'urn:problem:snp-match:internal', title: 'Internal error', status: 500, detail: 'an unexpected error occurred; it has been logged' };

/** The longest the frames of a socket over its client's budget wait before one is tried again. */
const MAX_PAUSE_SECONDS = 5;
/** Frames waiting for the budget, at most (and at most the socket's burst): beyond, the socket is not read. */
const MAX_WAITING_BYTES = 256 * 1024;

export class Connection {
  alive = true;
  private readonly bucket: TokenBucket;
  private strikes = 0;
  private readonly closeHandlers: (() => void)[] = [];
  private pausedUntilBudget: NodeJS.Timeout | undefined;
  private readonly waiting: { data: WebSocket.RawData; isBinary: boolean }[] = [];
  private waitingBytes = 0;

  constructor(
    readonly socket: WebSocket,
    private readonly limits: ConnectionLimits,
    readonly log: FastifyBaseLogger,
    private readonly onMessage: (message: Record<string, unknown>, id: MessageId) => void | Promise<void>,
    private readonly guards: ConnectionGuards = {},
  ) {
    this.bucket = new TokenBucket(limits.ratePerSecond, limits.burst);
    socket.on('pong', () => { this.alive = true; });
    socket.on('close', () => {
      clearTimeout(this.pausedUntilBudget);
      this.dropWaiting();
      for (const handler of this.closeHandlers.splice(0)) handler();
    });
    socket.on('message', (data, isBinary) => {
      // Over the budget: frames wait their turn; one that does not fit is handled (refused) at once.
      if (this.pausedUntilBudget !== undefined && !this.waitingFull) {
        this.waiting.push({ data, isBinary });
        this.waitingBytes += byteLength(data);
        if (this.waitingFull) this.socket.pause();
      } else {
        this.receive(data, isBinary);
      }
    });
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (!this.isOpen) return;
    if (!this.admit()) return;
    if (isBinary) return this.fail(null, new ApiProblem(400, 'binary-frame', 'Binary frames not supported', 'send JSON text frames'));
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return this.fail(null, new ApiProblem(400, 'malformed-json', 'Malformed JSON message', 'the frame is not valid JSON'));
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      return this.fail(null, new ApiProblem(400, 'malformed-message', 'Malformed message', 'a message is a JSON object with a "type"'));
    }
    const record = message as Record<string, unknown>;
    const id = typeof record.id === 'string' || typeof record.id === 'number' ? record.id : null;
    try {
      const done = this.onMessage(record, id);
      if (done instanceof Promise) done.catch((error: unknown) => this.fail(id, error));
    } catch (error) {
      this.fail(id, error);
    }
  }

  /** Open, and its credential still holds. */
  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN && this.guards.credential?.active !== false;
  }

  onClose(handler: () => void): void {
    if (this.socket.readyState === WebSocket.CLOSED) handler();
    else this.closeHandlers.push(handler);
  }

  /** Sends a JSON message (an object, or text already serialised); false when the socket is gone or too slow. */
  send(message: object | string, onWritten?: (error?: Error) => void): boolean {
    if (!this.isOpen) return false;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.close(CLOSE.tryAgainLater, 'too slow: reconnect and resume');
      return false;
    }
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message), onWritten);
    return true;
  }

  reply(id: MessageId, result: unknown, extra: Record<string, unknown> = {}): void {
    if (id !== null) this.send({ id, ok: true, result, ...extra });
  }

  /** Answers a failed message with the problem body HTTP would have sent. */
  fail(id: MessageId, error: unknown): void {
    if (error instanceof ApiProblem) {
      this.send({ id, ok: false, error: error.body });
      return;
    }
    // PostgreSQL unreachable (a restart, an exhausted pool): retryable, as over HTTP (503), not a fault of ours.
    if (isDatabaseUnavailable(error)) {
      this.log.warn({ err: (error as Error).message }, 'websocket message failed: database unavailable');
      this.send({ id, ok: false, error: UNAVAILABLE });
      return;
    }
    this.log.error({ err: error }, 'websocket message failed');
    this.send({ id, ok: false, error: INTERNAL });
  }

  close(code: number, reason: string): void {
    // Read again, so that the peer's closing frame completes the handshake now; what waited is not handled.
    this.dropWaiting();
    this.resumeReading();
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason);
  }

  private admit(): boolean {
    const withinSocketRate = this.bucket.take();
    const overBudget = withinSocketRate ? this.guards.charge?.() : undefined;
    const refusal = withinSocketRate
      ? overBudget
      : new ApiProblem(429, 'rate-limited', 'Too many messages', `more than ${this.limits.ratePerSecond} messages per second on this connection; slow down`);
    if (refusal === undefined) {
      this.strikes = 0;
      return true;
    }
    if (overBudget !== undefined) this.pauseReading(Number(overBudget.headers['retry-after'] ?? 1));
    if (++this.strikes > this.limits.maxStrikes) {
      this.log.info({ strikes: this.strikes }, 'websocket closed for message rate');
      this.close(CLOSE.policy, 'message rate exceeded');
    } else {
      this.send({ id: null, ok: false, error: refusal.body });
    }
    return false;
  }

  /** Over the client's budget: the next frames would only be refused; they wait until the budget has one to give. */
  private pauseReading(seconds: number): void {
    if (this.pausedUntilBudget !== undefined || this.socket.readyState !== WebSocket.OPEN) return;
    this.pausedUntilBudget = setTimeout(() => this.resumeReading(), Math.min(Math.max(seconds, 1), MAX_PAUSE_SECONDS) * 1000);
  }

  private resumeReading(): void {
    clearTimeout(this.pausedUntilBudget);
    this.pausedUntilBudget = undefined;
    // The waiting frames first, in order, until one is refused again (which pauses again).
    while (this.pausedUntilBudget === undefined && this.waiting.length > 0) {
      const { data, isBinary } = this.waiting.shift()!;
      this.waitingBytes -= byteLength(data);
      this.receive(data, isBinary);
    }
    if (this.socket.isPaused && !this.waitingFull) this.socket.resume();
  }

  private get waitingFull(): boolean {
    return this.waiting.length >= this.limits.burst || this.waitingBytes >= MAX_WAITING_BYTES;
  }

  private dropWaiting(): void {
    this.waiting.length = 0;
    this.waitingBytes = 0;
  }
}

function byteLength(data: WebSocket.RawData): number {
  return Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength;
}
