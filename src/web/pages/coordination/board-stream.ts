// The coordinators' stream (/v1/ws/coordinator?territory=): bookings nobody
// confirmed in time (`booking.unacknowledged`). Every connection replays the
// unhandled ones, so the board is rebuilt after any cut; an eventId seen twice
// is one line. « Traitée » acknowledges the event on the stream.
import type { LiveState } from '../../live.js';

export interface Escalation { eventId: number; bookingId: string; start?: string; professional?: string; bookedAt?: string }

export interface BoardStream { ack(eventId: number): Promise<boolean>; stop(): void }

export function openBoardStream(territory: string, onState: (state: LiveState) => void, onEscalation: (escalation: Escalation) => void): BoardStream {
  const seen = new Set<number>();
  const waiting = new Map<string, (ok: boolean) => void>();
  let socket: WebSocket | undefined;
  let stopped = false;
  let delay = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  const connect = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const current = new WebSocket(`${scheme}://${location.host}/v1/ws/coordinator?territory=${encodeURIComponent(territory)}`);
    socket = current;
    current.onopen = () => { delay = 500; onState('en-direct'); };
    current.onmessage = (event) => {
      let m: { id?: unknown; ok?: unknown; type?: unknown; eventId?: unknown; booking?: { id?: unknown; start?: unknown; professional?: { name?: unknown } }; bookedAt?: unknown };
      try { m = JSON.parse(String(event.data)) as typeof m; } catch { return; }
      if (typeof m.id === 'string' && waiting.has(m.id)) { waiting.get(m.id)!(m.ok === true); waiting.delete(m.id); return; }
      if (m.type !== 'booking.unacknowledged' || typeof m.eventId !== 'number' || seen.has(m.eventId)) return;
      seen.add(m.eventId);
      onEscalation({
        eventId: m.eventId, bookingId: String(m.booking?.id ?? ''),
        ...(typeof m.booking?.start === 'string' ? { start: m.booking.start } : {}),
        ...(typeof m.booking?.professional?.name === 'string' ? { professional: m.booking.professional.name } : {}),
        ...(typeof m.bookedAt === 'string' ? { bookedAt: m.bookedAt } : {}),
      });
    };
    current.onclose = (event) => {
      for (const resolve of waiting.values()) resolve(false);
      waiting.clear();
      if (stopped || socket !== current) return;
      if (event.code === 4401) return onState('session-terminee');
      onState('hors-ligne');
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5_000);
    };
  };
  onState('connexion');
  connect();
  return {
    ack(eventId) {
      if (socket?.readyState !== WebSocket.OPEN) return Promise.resolve(false);
      const id = `ack-${nextId++}`;
      return new Promise<boolean>((resolve) => { waiting.set(id, resolve); socket!.send(JSON.stringify({ id, type: 'ack', eventId })); });
    },
    stop() { stopped = true; clearTimeout(timer); socket?.close(1000); },
  };
}
