// A professional's device on /v1/ws/professional, as the app would behave:
// acks every event it receives (again, if the ack was refused, e.g. a 503 of a
// busy instance), and after losing its instance reconnects to another one,
// resuming after the last event it acked.
import { TestSocket } from './ws-client.js';

export interface ReceivedEvent { eventId: number; type: string; bookingId: string; instance: string }

export class ProDevice {
  /** Every event received, across all its connections, in arrival order. */
  readonly received: ReceivedEvent[] = [];
  lastAcked = 0;
  /** For a failing test's diagnosis: acks answered ok, acks refused, and how its sockets closed. */
  readonly diagnosis = { acksOk: 0, acksRefused: 0, closes: [] as string[] };
  private socket: TestSocket | null = null;
  private instanceName = '';
  private seen = 0;

  constructor(readonly name: string, private readonly token: string) {}

  /** Connects (resuming after the last ack) and waits for `ready`. */
  async connect(instance: { name: string; url: string }): Promise<void> {
    await this.socket?.close();
    const path = this.lastAcked > 0 ? `/v1/ws/professional?after=${this.lastAcked}` : '/v1/ws/professional';
    const socket = await TestSocket.open(instance.url, path, this.token);
    this.socket = socket;
    this.instanceName = instance.name;
    this.seen = 0;
    void socket.closed.then(({ code, reason }) => { this.diagnosis.closes.push(`${instance.name}: ${code} ${reason}`); });
    socket.socket.on('message', () => this.drain(socket));
    await socket.waitFor((m) => m.type === 'ready', 15_000, `${this.name} ready`);
    this.drain(socket);
  }

  get instance(): string { return this.instanceName; }

  /** Resolves when the socket closes (e.g. its instance was killed). */
  get closed(): Promise<unknown> { return this.socket?.closed ?? Promise.resolve(); }

  async close(): Promise<void> {
    await this.socket?.close();
    this.socket = null;
  }

  private drain(socket: TestSocket): void {
    if (socket !== this.socket) return;
    for (; this.seen < socket.messages.length; this.seen++) {
      const m = socket.messages[this.seen];
      if (typeof m.eventId === 'number' && m.booking !== undefined) {
        this.received.push({ eventId: m.eventId, type: m.type, bookingId: m.booking.id, instance: this.instanceName });
        this.ack(socket, m.eventId);
        if (m.eventId > this.lastAcked) this.lastAcked = m.eventId;
      } else if (m.ok === true && typeof m.id === 'string' && m.id.startsWith('ack-')) {
        this.diagnosis.acksOk++;
      } else if (m.ok === false && typeof m.id === 'string' && m.id.startsWith('ack-')) {
        this.diagnosis.acksRefused++;
        const eventId = Number(m.id.slice(4));
        setTimeout(() => { if (socket === this.socket) this.ack(socket, eventId); }, 200);
      }
    }
  }

  private ack(socket: TestSocket, eventId: number): void {
    socket.send({ id: `ack-${eventId}`, type: 'ack', eventId });
  }
}
