// The coordinators' stream (/v1/ws/coordinator?territory=): bookings nobody
// confirmed in time (`booking.unacknowledged`). Every connection replays the
// unhandled ones, so the board is rebuilt after any cut; an eventId seen twice
// is one line. « Traitée » acknowledges the event on the stream.
import { openLiveSocket, type LiveState } from '../../live.js';

export interface Escalation { eventId: number; bookingId: string; start?: string; professional?: string; bookedAt?: string }

export interface BoardStream { ack(eventId: number): Promise<boolean>; stop(): void }

interface EscalationMessage { type?: unknown; eventId?: unknown; booking?: { id?: unknown; start?: unknown; professional?: { name?: unknown } }; bookedAt?: unknown }

export function openBoardStream(territory: string, onState: (state: LiveState) => void, onEscalation: (escalation: Escalation) => void): BoardStream {
  const seen = new Set<number>();
  const live = openLiveSocket({
    path: () => `/v1/ws/coordinator?territory=${encodeURIComponent(territory)}`,
    onState, announceConnecting: 'first-attempt', maxDelayMs: 5_000,
    onMessage(message) {
      const m = message as EscalationMessage;
      if (m.type !== 'booking.unacknowledged' || typeof m.eventId !== 'number' || seen.has(m.eventId)) return;
      seen.add(m.eventId);
      onEscalation({
        eventId: m.eventId, bookingId: String(m.booking?.id ?? ''),
        ...(typeof m.booking?.start === 'string' ? { start: m.booking.start } : {}),
        ...(typeof m.booking?.professional?.name === 'string' ? { professional: m.booking.professional.name } : {}),
        ...(typeof m.bookedAt === 'string' ? { bookedAt: m.bookedAt } : {}),
      });
    },
  });
  return { ack: (eventId) => live.request({ type: 'ack', eventId }), stop: () => live.stop() };
}
