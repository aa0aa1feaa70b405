// /app/coordination: the CPTS coordinator's board (desktop). Bookings no
// professional confirmed in time, live; the week's indicators as charts with
// the CSV export; a professional falling ill; who may use the counter; the triage rule-set versions.
import { useEffect, useRef, useState } from 'preact/hooks';
import { logout, type Session } from '../../api.js';
import type { LiveState } from '../../live.js';
import { openBoardStream, type BoardStream, type Escalation } from './board-stream.js';
import { BandsPanel } from './bands-panel.js';
import { CounterAccess } from './counter-access.js';
import { IllnessForm } from './illness-form.js';
import { Indicators } from './indicators.js';
import { RuleSetVersions } from './rule-set-versions.js';
import { WeekCalendar } from './week-calendar.js';
import './coordination.css';

const LIVE: Record<LiveState, string> = {
  'connexion': 'Connexion au service…', 'en-direct': 'En direct', 'hors-ligne': 'Hors ligne — reconnexion…', 'session-terminee': 'Session terminée — reconnectez-vous',
};
const when = (iso: string | undefined) => (iso === undefined ? '' : `${iso.slice(8, 10)}/${iso.slice(5, 7)} ${iso.slice(11, 16)}`);

export function CoordinationPage({ session }: { session: Session }) {
  const [territory, setTerritory] = useState(session.territories[0] ?? '');
  const [live, setLive] = useState<LiveState>('connexion');
  const [escalations, setEscalations] = useState<Escalation[]>([]);
  const [refresh, setRefresh] = useState(0);
  const [message, setMessage] = useState('');
  const stream = useRef<BoardStream>();

  useEffect(() => {
    setEscalations([]);
    const opened = openBoardStream(territory, setLive, (e) => {
      setEscalations((current) => (current.some((c) => c.bookingId === e.bookingId && c.eventId === e.eventId) ? current : [...current, e]));
      setRefresh((n) => n + 1);
    });
    stream.current = opened;
    // Interactive: the board is live (measured by the browser test: README « Pages »).
    const mark = setInterval(() => { if (performance.getEntriesByName('snp-interactive').length === 0 && document.querySelector('[data-testid="rule-set-versions"]') !== null && document.querySelector('[data-testid="kpi-appointments"]') !== null) { performance.mark('snp-interactive'); clearInterval(mark); } }, 50);
    return () => { opened.stop(); clearInterval(mark); };
  }, [territory]);

  const handled = async (e: Escalation) => {
    if (await stream.current!.ack(e.eventId)) { setEscalations((current) => current.filter((c) => c.eventId !== e.eventId)); setMessage(''); }
    else setMessage("Connexion perdue : l'alerte n'a pas pu être marquée comme traitée. Réessayez à la reconnexion.");
  };
  const signOut = async () => { await logout(); location.assign('/app/'); };

  return (
    <main class="coordination">
      <header class="board-header">
        <div>
          <h1>Coordination</h1>
          <p><strong data-testid="person-name">{session.name}</strong> — <span aria-live="polite" data-testid="live-state">{LIVE[live]}</span></p>
        </div>
        {session.territories.length > 1
          ? <label>Territoire<select value={territory} onChange={(e) => setTerritory((e.target as HTMLSelectElement).value)}>{session.territories.map((t) => <option key={t} value={t}>{t}</option>)}</select></label>
          : <p>Territoire : {territory}</p>}
        <button type="button" class="secondary outline" onClick={signOut}>Se déconnecter</button>
      </header>
      {live === 'hors-ligne' ? <p role="alert" class="offline-banner">Hors ligne — reconnexion… Les alertes arriveront dès le retour du réseau.</p> : null}
      {message !== '' ? <p role="alert">{message}</p> : null}

      <section aria-labelledby="escalations" data-testid="escalations">
        <h2 id="escalations">Prises en charge non confirmées {escalations.length > 0 ? `(${escalations.length})` : ''}</h2>
        {escalations.length === 0
          ? <p class="empty" data-testid="no-escalation">Aucune : chaque prise en charge a été confirmée par son professionnel dans le délai.</p>
          : (
            <table>
              <thead><tr><th scope="col">Rendez-vous</th><th scope="col">Professionnel</th><th scope="col">Pris le</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
              <tbody>
                {escalations.map((e) => (
                  <tr key={e.eventId} data-booking-id={e.bookingId}>
                    <td>{when(e.start)}</td><td>{e.professional ?? '—'}</td><td>{when(e.bookedAt)}</td>
                    <td><button type="button" class="secondary" onClick={() => void handled(e)}>Traitée (professionnel joint)</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </section>

      <WeekCalendar territory={territory} refresh={refresh} onChange={() => setRefresh((n) => n + 1)} />
      <BandsPanel territory={territory} territories={session.territories} refresh={refresh} onChange={() => setRefresh((n) => n + 1)} />
      <CounterAccess territory={territory} />
      <Indicators territory={territory} refresh={refresh} />
      <section aria-labelledby="actions"><h2 id="actions">Actions</h2><IllnessForm territory={territory} onDone={() => setRefresh((n) => n + 1)} /></section>
      <RuleSetVersions territory={territory} />
    </main>
  );
}
