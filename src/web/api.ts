// Calls to the service from the pages: same origin, the session cookie sent by
// the browser, and the session's CSRF token on every unsafe request.
export type Role = 'regulator' | 'pharmacist' | 'professional' | 'coordinator';

export interface Session {
  name: string;
  role: Role;
  territories: string[];
  rpps: string | null;
  csrfToken: string;
  expiresAt: string;
  idleExpiresAt: string;
}

let csrfToken: string | undefined;

/** The person logged in, or null (no session, or it ended). */
export async function loadSession(): Promise<Session | null> {
  const response = await fetch('/app/api/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`session: HTTP ${response.status}`);
  const session = (await response.json()) as Session;
  csrfToken = session.csrfToken;
  return session;
}

/** A request to the API with the session; unsafe methods carry the CSRF token. */
export function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const method = (init.method ?? 'GET').toUpperCase();
  if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && csrfToken !== undefined) headers.set('x-csrf-token', csrfToken);
  if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return fetch(path, { ...init, headers, credentials: 'same-origin' });
}

export async function logout(): Promise<void> {
  await api('/app/auth/logout', { method: 'POST' });
}

export function loginUrl(next: string): string {
  return `/app/auth/login?next=${encodeURIComponent(next)}`;
}
