// Booking, hold and conflict counters derived from the HTTP answers, so the
// routes stay free of metrics code: (method, route pattern, status) says what
// happened. A 409 on a hold or booking creation is a conflict (a slot already
// taken, or a hold already used). The WebSocket side increments the same
// counters itself with channel 'ws'.
import { bookingsTotal, holdsTotal, slotConflictsTotal } from './metrics.js';

type Outcome = (status: number, replayed: boolean) => void;

const booking = (channel: string, result: string): Outcome => (status) => { if (status < 300) bookingsTotal.inc({ channel, result }); };
const creation = (channel: string, kind: 'hold' | 'booking'): Outcome => (status, replayed) => {
  if (status === 409) slotConflictsTotal.inc({ channel, operation: kind });
  else if (status === 201 || (status === 200 && replayed)) {
    if (kind === 'hold') holdsTotal.inc({ channel, result: 'placed' });
    else bookingsTotal.inc({ channel, result: replayed ? 'replayed' : 'created' });
  }
};
const release: Outcome = (status) => { if (status === 204) holdsTotal.inc({ channel: 'http', result: 'released' }); };

const OUTCOMES = new Map<string, Outcome>([
  ['POST /v1/bookings', creation('http', 'booking')],
  ['POST /v1/bookings/:id/cancel', booking('http', 'cancelled')],
  ['POST /v1/bookings/:id/no-show', booking('http', 'no-show')],
  ['POST /v1/bookings/:id/honoured', booking('http', 'honoured')],
  ['POST /v1/holds', creation('http', 'hold')],
  ['DELETE /v1/holds/:id', release],
  ['POST /v1/holds/:id/release', release],
  ['POST /fhir/Appointment', creation('fhir', 'booking')],
]);

export function countRouteOutcome(method: string, route: string, status: number, replayed: boolean): void {
  OUTCOMES.get(`${method} ${route}`)?.(status, replayed);
}
