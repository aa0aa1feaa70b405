// /app/astreinte: the on-call professional's page, phone first. Bookings
// arrive live on the professional socket (sound + notification), are confirmed
// in one tap (`ack`), and are listed for today and tomorrow with their outcome.
// Offline: a banner, then a resume from the last event seen (stream.ts).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, logout, type Session } from '../../api.js';
import type { LiveState } from '../../live.js';
import { announce, enableAlerts, notificationPermission, type AlertPermission } from './alerts.js';
import { BookingCard } from './booking-card.js';
import { acknowledged, localDay, sorted, withEvent, withList, withStatus, type Booking, type Bookings } from './bookings.js';
import { OFFLINE_ADVICE, outcomeError } from './problems.js';
import { openBookingStream, type BookingStream } from './stream.js';
import './astreinte.css';

const DAY = 86_400_000;

function dayKey(at: Date): string {
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
}

const ALERT_LABELS: Record<AlertPermission, string> = {
  'accordees': 'Alertes activées (son et notification)',
  'refusees': 'Notifications refusées par le navigateur : seul le son vous préviendra',
  'a-demander': '',
  'indisponibles': 'Notifications indisponibles sur cet appareil : gardez la page ouverte',
};

export function AstreintePage({ session }: { session: Session }) {
  const rpps = session.rpps ?? '';
  const [bookings, setBookings] = useState<Bookings>(new Map());
  const [live, setLive] = useState<LiveState>('connexion');
  const [message, setMessage] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [alerts, setAlerts] = useState<AlertPermission>(notificationPermission());
  const [alertsOn, setAlertsOn] = useState(false);
  const stream = useRef<BookingStream>();
  const now = Date.now();

  const reload = useCallback(async () => {
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    const from = today.toISOString();
    const until = new Date(today.getTime() + 2 * DAY + 3_600_000).toISOString(); // DST-proof end of tomorrow
    const response = await api(`/v1/bookings?from=${encodeURIComponent(from)}&until=${encodeURIComponent(until)}&limit=200`);
    if (!response.ok) { setMessage(await outcomeError(response)); return; }
    const { bookings: listed } = (await response.json()) as { bookings: Record<string, unknown>[] };
    setBookings((current) => withList(current, listed));
  }, []);

  useEffect(() => {
    const opened = openBookingStream(rpps, {
      onState: setLive,
      // Interactive: live, and the list read (measured by the browser test: README « Pages »).
      onReady: () => { void reload().then(() => { if (performance.getEntriesByName('snp-interactive').length === 0) performance.mark('snp-interactive'); }); },
      onEvent: (event, seen) => {
        if (event.booking === undefined) return;
        const booking = event.booking;
        setBookings((current) => withEvent(current, event.type, event.eventId, booking));
        const time = typeof booking.start === 'string' ? `${booking.start.slice(8, 10)}/${booking.start.slice(5, 7)} à ${booking.start.slice(11, 16)}` : '';
        if (event.type === 'booking.created' && !seen) announce('Nouvelle prise en charge', `Créneau du ${time}`, `booking-${String(booking.id)}`);
        if (event.type === 'booking.cancelled') {
          if (!seen) announce('Prise en charge annulée', `Créneau du ${time}`, `booking-${String(booking.id)}`);
          void opened.ack(event.eventId); // nothing to confirm: seen is enough
        }
      },
    });
    stream.current = opened;
    return () => opened.stop();
  }, [rpps, reload]);

  const onAck = async (booking: Booking) => {
    if (booking.pendingAck === undefined) return;
    setBusy(true);
    const ok = await stream.current!.ack(booking.pendingAck);
    setBusy(false);
    if (ok) { setBookings((current) => acknowledged(current, booking.id)); setMessage(''); }
    else setMessage('La confirmation n\'a pas pu être envoyée (connexion perdue). Elle sera possible dès la reconnexion.');
  };
  const onOutcome = async (booking: Booking, outcome: 'honoured' | 'no-show') => {
    setBusy(true);
    const response = await api(`/v1/bookings/${booking.id}/${outcome}`, { method: 'POST' }).catch(() => null);
    setBusy(false);
    if (response === null) { setMessage('Pas de réseau : réessayez dès la reconnexion.'); return; }
    if (response.ok) { setBookings((current) => withStatus(current, booking.id, outcome)); setMessage(''); return; }
    setMessage(await outcomeError(response));
    void reload();
  };
  const onEnableAlerts = async () => { setAlerts(await enableAlerts()); setAlertsOn(true); };
  const signOut = async () => { await logout(); location.assign('/app/'); };

  const all = sorted(bookings);
  const toConfirm = all.filter((b) => b.pendingAck !== undefined && b.status === 'booked');
  const todayKey = dayKey(new Date(now));
  const tomorrowKey = dayKey(new Date(now + DAY));
  const actions = { onAck, onOutcome, busy };
  const list = (items: Booking[], empty: string, confirm = false) => items.length === 0
    ? <p class="empty">{empty}</p>
    : items.map((b) => <BookingCard key={b.id} booking={b} actions={actions} now={now} confirm={confirm} />);

  return (
    <main class="astreinte">
      <header>
        <h1>Astreinte</h1>
        <p>
          <strong data-testid="person-name">{session.name}</strong>
          {' — '}<span aria-live="polite" data-testid="live-state" class={`live live-${live}`}>{live === 'en-direct' ? 'En direct' : live === 'session-terminee' ? 'Session terminée — reconnectez-vous' : live === 'connexion' ? 'Connexion au service…' : 'Hors ligne'}</span>
        </p>
      </header>
      {live === 'hors-ligne' ? <p role="alert" class="offline-banner" data-testid="offline-banner">{OFFLINE_ADVICE}</p> : null}
      {live === 'session-terminee' ? <p role="alert" class="offline-banner"><a href="/app/">Votre session a pris fin : reconnectez-vous.</a></p> : null}
      {message !== '' ? <p role="alert" data-testid="page-message">{message}</p> : null}
      {alertsOn && ALERT_LABELS[alerts] !== '' ? <p aria-live="polite" data-testid="alerts-state">{ALERT_LABELS[alerts]}</p> : null}
      {!alertsOn ? <button type="button" class="outline" onClick={onEnableAlerts}>Activer les alertes (son et notification)</button> : null}

      <section aria-labelledby="to-confirm" data-testid="to-confirm">
        <h2 id="to-confirm">À confirmer {toConfirm.length > 0 ? <span class="count">({toConfirm.length})</span> : null}</h2>
        {list(toConfirm, 'Aucune prise en charge en attente de confirmation.', true)}
      </section>
      <section aria-labelledby="today" data-testid="today">
        <h2 id="today">Aujourd'hui</h2>
        {list(all.filter((b) => localDay(b.start) === todayKey), "Aucune prise en charge aujourd'hui.")}
      </section>
      <section aria-labelledby="tomorrow" data-testid="tomorrow">
        <h2 id="tomorrow">Demain</h2>
        {list(all.filter((b) => localDay(b.start) === tomorrowKey), 'Aucune prise en charge demain.')}
      </section>
      <footer><button type="button" class="secondary outline" onClick={signOut}>Se déconnecter</button></footer>
    </main>
  );
}
