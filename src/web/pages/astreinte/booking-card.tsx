// One booking as the professional reads it between two consultations: when,
// who to call back, and the one action due now.
import { localTime, type Booking } from './bookings.js';

const MODALITY: Record<string, string> = { office: 'au cabinet', home: 'à domicile', video: 'en téléconsultation' };
const STATUS: Record<string, string> = { booked: 'Prévue', cancelled: 'Annulée', honoured: 'Honorée', 'no-show': 'Patient absent' };
const SEX: Record<string, string> = { female: 'femme', male: 'homme' };

function patientLine(booking: Booking): string {
  const p = booking.patient;
  if (p === null) return 'Coordonnées du patient effacées (durée de conservation atteinte)';
  const details = [p.age !== undefined ? `${p.age} ans` : p.birthYear !== undefined ? `né·e en ${p.birthYear}` : '', p.sex !== undefined ? SEX[p.sex] ?? '' : '']
    .filter((d) => d !== '');
  return details.length > 0 ? `${p.name} (${details.join(', ')})` : p.name;
}

export interface CardActions {
  onAck(booking: Booking): void;
  onOutcome(booking: Booking, outcome: 'honoured' | 'no-show'): void;
  busy: boolean;
}

/** `confirm`: the card of the « À confirmer » list, the only one with the confirmation button. */
export function BookingCard({ booking, actions, now, confirm = false }: { booking: Booking; actions: CardActions; now: number; confirm?: boolean }) {
  const started = Date.parse(booking.start) <= now;
  const phone = booking.patient?.phone;
  return (
    <article data-booking-id={booking.id} data-status={booking.status} class={`booking booking-${booking.status}`}>
      <header>
        <strong>{localTime(booking.start)}–{localTime(booking.end)}</strong>
        {booking.modality !== undefined ? ` ${MODALITY[booking.modality] ?? ''}` : ''}
        <span class="booking-status"> · {booking.status === 'booked' && booking.pendingAck !== undefined ? 'À confirmer' : booking.status === 'booked' && booking.confirmed === true ? 'Confirmée' : STATUS[booking.status] ?? booking.status}</span>
      </header>
      <p>
        {patientLine(booking)}
        {phone !== undefined ? <> — <a href={`tel:${phone.replace(/[^+0-9]/g, '')}`}>{phone}</a></> : null}
      </p>
      {confirm && booking.pendingAck !== undefined && booking.status === 'booked'
        ? <button type="button" disabled={actions.busy} onClick={() => actions.onAck(booking)}>Confirmer la prise en charge</button>
        : null}
      {!confirm && booking.status === 'booked' && started
        ? (
          <div role="group">
            <button type="button" class="secondary" disabled={actions.busy} onClick={() => actions.onOutcome(booking, 'honoured')}>Honorée</button>
            <button type="button" class="secondary outline" disabled={actions.busy} onClick={() => actions.onOutcome(booking, 'no-show')}>Patient absent</button>
          </div>
        )
        : null}
    </article>
  );
}
