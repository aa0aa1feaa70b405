// The professional's bookings as the page holds them: the list read from
// GET /v1/bookings (today and tomorrow), merged with the stream's events.
// Keyed by booking id, so an event delivered twice, or a booking both listed
// and pushed, is one line; `pendingAck` is the eventId still to confirm.
export interface Patient { name: string; phone: string; age?: number; birthYear?: number; sex?: string }

export interface Booking {
  id: string;
  status: string;
  start: string;
  end: string;
  modality?: string;
  patient: Patient | null;
  pendingAck?: number;
  /** Confirmed from this page (the list does not say who confirmed what). */
  confirmed?: boolean;
}

export type Bookings = ReadonlyMap<string, Booking>;

/** Local date (YYYY-MM-DD) and time (HH:MM) of an API instant: it carries the territory's offset. */
export const localDay = (iso: string) => iso.slice(0, 10);
export const localTime = (iso: string) => iso.slice(11, 16);

function fromApi(raw: Record<string, unknown>): Booking | null {
  if (typeof raw.id !== 'string' || typeof raw.start !== 'string' || typeof raw.end !== 'string') return null;
  return {
    id: raw.id,
    status: typeof raw.status === 'string' ? raw.status : 'booked',
    start: raw.start,
    end: raw.end,
    ...(typeof raw.modality === 'string' ? { modality: raw.modality } : {}),
    patient: (raw.patient as Patient | null | undefined) ?? null,
  };
}

/** The list as read: keeps what only the stream knows (the acknowledgement still due). */
export function withList(current: Bookings, listed: Record<string, unknown>[]): Bookings {
  const next = new Map(current);
  for (const raw of listed) {
    const booking = fromApi(raw);
    if (booking === null) continue;
    const known = next.get(booking.id);
    next.set(booking.id, { ...booking, patient: booking.patient ?? known?.patient ?? null, ...(known?.confirmed === true ? { confirmed: true } : {}),
      ...(known?.pendingAck !== undefined && booking.status === 'booked' ? { pendingAck: known.pendingAck } : {}) });
  }
  return next;
}

/** A stream event applied: created (to acknowledge), cancelled (struck out). */
export function withEvent(current: Bookings, type: string, eventId: number, raw: Record<string, unknown>): Bookings {
  const booking = fromApi(raw);
  if (booking === null) return current;
  const next = new Map(current);
  const known = next.get(booking.id);
  if (type === 'booking.created') {
    next.set(booking.id, { ...known, ...booking, status: known?.status ?? booking.status, pendingAck: eventId });
  } else if (type === 'booking.cancelled') {
    next.set(booking.id, { ...known, ...booking, patient: booking.patient ?? known?.patient ?? null, status: 'cancelled' });
    delete (next.get(booking.id) as Booking).pendingAck;
  }
  return next;
}

export function acknowledged(current: Bookings, id: string): Bookings {
  const known = current.get(id);
  if (known === undefined) return current;
  const next = new Map(current);
  const { pendingAck: _done, ...rest } = known;
  next.set(id, { ...rest, confirmed: true });
  return next;
}

export function withStatus(current: Bookings, id: string, status: string): Bookings {
  const known = current.get(id);
  if (known === undefined) return current;
  return new Map(current).set(id, { ...known, status });
}

/** Earliest first. */
export const sorted = (bookings: Bookings): Booking[] => [...bookings.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
