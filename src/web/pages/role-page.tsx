// A role's page (placeholder until issue 17 fills it): who is logged in, the
// live connection to the service, and logout.
import { useEffect, useState } from 'preact/hooks';
import { logout, type Session } from '../api.js';
import { openLive, type LiveState } from '../live.js';
import { PAGE_TITLES, ROLE_CHANNELS, ROLE_LABELS, ROLE_PAGES } from '../roles.js';

const LIVE_LABELS: Record<LiveState, string> = {
  'connexion': 'Connexion au service…',
  'en-direct': 'En direct',
  'hors-ligne': 'Hors ligne — reconnexion…',
  'session-terminee': 'Session terminée — reconnectez-vous',
};

export function RolePage({ session, path }: { session: Session; path: string }) {
  const [live, setLive] = useState<LiveState>('connexion');
  const own = ROLE_PAGES[session.role] === path;
  useEffect(() => (own ? openLive(ROLE_CHANNELS[session.role], session.territories[0], setLive) : undefined), [own, session.role]);
  const signOut = async () => {
    await logout();
    location.assign('/app/');
  };
  return (
    <main>
      <header>
        <h1>{own ? PAGE_TITLES[session.role] : 'Accès réservé'}</h1>
        <p>
          <strong data-testid="person-name">{session.name}</strong> — {ROLE_LABELS[session.role]}
          <br />Territoire{session.territories.length > 1 ? 's' : ''} : {session.territories.join(', ')}
        </p>
      </header>
      {own
        ? <p aria-live="polite" data-testid="live-state">{LIVE_LABELS[live]}</p>
        : <p role="alert">Cette page n'est pas la vôtre. <a href={ROLE_PAGES[session.role]}>Aller à votre page</a>.</p>}
      <button type="button" onClick={signOut}>Se déconnecter</button>
    </main>
  );
}
