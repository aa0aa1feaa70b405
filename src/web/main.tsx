// The web app's entry: finds the session, then the page for the address.
// Routing is by path (the service serves this shell for every /app/… page).
import '@picocss/pico/css/pico.classless.min.css';
import './app.css';
import { render } from 'preact';
import { loadSession, type Session } from './api.js';
import { AstreintePage } from './pages/astreinte/astreinte-page.js';
import { CoordinationPage } from './pages/coordination/coordination-page.js';
import { ComptoirPage } from './pages/comptoir/comptoir-page.js';
import { ErrorPage } from './pages/error.js';
import { LoginPage } from './pages/login.js';
import { RegulationPage } from './pages/regulation/regulation-page.js';
import { RolePage } from './pages/role-page.js';
import { ROLE_PAGES } from './roles.js';

function App({ session, path }: { session: Session | null; path: string }) {
  if (path === '/app/erreur') return <ErrorPage code={new URLSearchParams(location.search).get('code')} />;
  if (session === null) return <LoginPage next={path + location.search} />;
  if (session.role === 'pharmacist' && path === '/app/comptoir') return <ComptoirPage session={session} />;
  // The SAS's booking link: /app/regulation?creneau=<slot id>.
  const slotId = new URLSearchParams(location.search).get('creneau');
  if (path === '/app/regulation' && session.role === 'regulator' && slotId !== null) return <RegulationPage session={session} slotId={slotId} />;
  if (path === '/app/astreinte' && session.role === 'professional') return <AstreintePage session={session} />;
  if (path === '/app/coordination' && session.role === 'coordinator') return <CoordinationPage session={session} />;
  return <RolePage session={session} path={path} />;
}

async function start(root: HTMLElement): Promise<void> {
  let path = location.pathname.replace(/\/+$/, '') || '/app';
  let session: Session | null = null;
  try {
    session = path === '/app/erreur' ? null : await loadSession();
  } catch {
    path = '/app/erreur';
  }
  // The home sends each person to their role's page.
  if (session !== null && path === '/app') {
    path = ROLE_PAGES[session.role];
    history.replaceState(null, '', path);
  }
  render(<App session={session} path={path} />, root);
}

void start(document.getElementById('app')!);
