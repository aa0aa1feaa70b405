// The web app's login in a real browser: a pharmacist logs in through the
// embedded OpenID provider (authorization code + PKCE) in Chromium, lands on its
// page with its name, its socket opens with the session cookie; the cookie
// authenticates /v1; a cross-site POST without the CSRF token is refused; an
// expired or ended session is refused and its sockets close; logout works.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import WebSocket from 'ws';
import { hashPassword } from '../src/auth/passwords.js';
import { insertPerson } from '../src/db/people.js';
import { launchBrowser, newContext, screenshot } from './helpers/browser.js';
import { migratedDatabase } from './helpers/database.js';
import { world } from './helpers/fixtures.js';
import { startTestService } from './helpers/service.js';

const PASSWORD = 'correct horse battery';

t.test('a pharmacist logs in through the embedded provider, uses /v1 and a socket with the session, and logs out', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  await insertPerson(db.db, { login: 'pharmacien.a', name: 'Claire Martin', role: 'pharmacist', territories: ['terr-a'], passwordHash: await hashPassword(PASSWORD) });
  const service = await startTestService(t, db.url);
  const browser = await launchBrowser(t);
  const context = await newContext(t, browser);
  const page = await context.newPage();

  await page.goto(`${service.url}/app/`);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/oidc\/interaction\//);
  t.equal(await page.locator('h1').textContent(), 'Se connecter', 'the provider shows its French login form');
  await screenshot(page, 'login-provider');
  await page.getByLabel('Identifiant').fill('pharmacien.a');
  await page.getByLabel('Mot de passe').fill('wrong password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByText('Identifiant ou mot de passe incorrect.').waitFor();
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();

  await page.waitForURL(`${service.url}/app/comptoir`);
  t.equal(await page.getByTestId('person-name').textContent(), 'Claire Martin', 'the counter page names the person');
  await page.getByText('En direct').waitFor({ timeout: 10_000 });
  t.pass('the page opened its counter socket with the session cookie');
  await screenshot(page, 'comptoir-placeholder');

  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === '__Host-snp_session');
  t.ok(session, 'the session cookie has the __Host- prefix on loopback');
  t.equal(session?.httpOnly, true, 'HttpOnly');
  t.equal(session?.sameSite, 'Lax', 'SameSite=Lax');
  t.equal(session?.secure, true, 'Secure');
  t.equal(session?.path, '/', 'Path=/');
  const cookie = `${session!.name}=${session!.value}`;

  // The page's own requests: /v1/match with the cookie and the CSRF token.
  const matched = await page.evaluate(async () => {
    const csrf = ((await (await fetch('/app/api/session')).json()) as { csrfToken: string }).csrfToken;
    const response = await fetch('/v1/match', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ territory: 'terr-a' }) });
    return { status: response.status, body: await response.json() as { candidates?: unknown } };
  });
  t.equal(matched.status, 200, 'the session cookie authenticates POST /v1/match from the page');
  t.ok(Array.isArray(matched.body.candidates));

  // Another site's form or script: the cookie goes along, but not our Origin nor the token.
  const crossSite = await fetch(`${service.url}/v1/match`, {
    method: 'POST', headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ territory: 'terr-a' }),
  });
  t.equal(crossSite.status, 403, 'a cross-site POST with the cookie is refused');
  t.match(await crossSite.json(), { errors: [{ field: 'headers.origin' }] });
  const noToken = await fetch(`${service.url}/v1/match`, {
    method: 'POST', headers: { cookie, origin: new URL(service.url).origin, 'content-type': 'application/json' }, body: JSON.stringify({ territory: 'terr-a' }),
  });
  t.equal(noToken.status, 403, 'a same-origin POST without the CSRF token is refused');
  t.match(await noToken.json(), { errors: [{ field: 'headers.x-csrf-token' }] });
  const upgrade = (origin: string) => new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(`${service.url.replace('http', 'ws')}/v1/ws/counter`, { headers: { cookie }, origin });
    socket.on('open', () => { socket.close(); resolve(101); });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', reject);
  });
  t.equal(await upgrade('https://evil.example'), 403, 'a cross-site WebSocket upgrade with the cookie is refused');
  t.equal(await upgrade(new URL(service.url).origin), 101, 'the same upgrade from our origin is accepted');
  const read = await fetch(`${service.url}/v1/bookings`, { headers: { cookie } });
  t.equal(read.status, 200, 'a safe GET needs the cookie only');

  // Logout from the page: the session ends, its socket closes (4401), the cookie is cleared.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('button', { name: 'Se connecter' }).waitFor();
  t.notOk((await context.cookies()).some((c) => c.name === '__Host-snp_session'), 'logout clears the cookie');
  const after = await fetch(`${service.url}/v1/bookings`, { headers: { cookie } });
  t.equal(after.status, 401, 'the ended session no longer authenticates');
  await screenshot(page, 'login-page');
});

t.test('an expired session is refused, and the socket opened with it is closed', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  await insertPerson(db.db, { login: 'pharmacien.b', name: 'Paul Durand', role: 'pharmacist', territories: ['terr-a'], passwordHash: await hashPassword(PASSWORD) });
  const service = await startTestService(t, db.url);
  const browser = await launchBrowser(t);
  const context = await newContext(t, browser);
  const page = await context.newPage();
  await page.goto(`${service.url}/app/comptoir`);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByLabel('Identifiant').fill('pharmacien.b');
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${service.url}/app/comptoir`);
  await page.getByText('En direct').waitFor({ timeout: 10_000 });
  const session = (await context.cookies()).find((c) => c.name === '__Host-snp_session')!;

  // The session reaches its absolute expiry (moved to now, as time would).
  const before = await fetch(`${service.url}/v1/bookings`, { headers: { cookie: `${session.name}=${session.value}` } });
  t.equal(before.status, 200, 'the live session authenticates');
  await db.db.updateTable('person_sessions').set({ expires_at: new Date(Date.now() - 1000) }).execute();
  const refused = await fetch(`${service.url}/v1/bookings`, { headers: { cookie: `${session.name}=${session.value}` } });
  t.equal(refused.status, 401, 'an expired session is refused');
  // The socket re-checks at once: the change is announced on the API client channel (sql/016).
  await page.getByText('Session terminée — reconnectez-vous').waitFor({ timeout: 5_000 });
  t.pass('the socket of the expired session was closed with 4401');
  const api = await fetch(`${service.url}/app/api/session`, { headers: { cookie: `${session.name}=${session.value}` } });
  t.equal(api.status, 401);
});

t.test('a failed login ends on the French error page', async (t) => {
  const db = await migratedDatabase(t);
  const service = await startTestService(t, db.url);
  const browser = await launchBrowser(t);
  const page = await (await newContext(t, browser)).newPage();
  // A callback this browser never started (a replayed or forged link): no state cookie.
  await page.goto(`${service.url}/app/auth/callback?code=forged&state=forged`);
  await page.waitForURL(/\/app\/erreur\?code=connexion-expiree/);
  t.equal(await page.locator('h1').textContent(), 'Connexion expirée', 'the error page says what happened, in French');
  t.ok(await page.getByRole('button', { name: "Revenir à l'accueil" }).isVisible(), 'and what to do');
  await screenshot(page, 'error-page');
});

t.test('a session cookie guesser is held to the failed-authentication budget of its address', async (t) => {
  const db = await migratedDatabase(t);
  const service = await startTestService(t, db.url, { AUTH_FAILURES_PER_MINUTE: '3' });
  const guess = async () => (await fetch(`${service.url}/v1/bookings`, { headers: { cookie: `__Host-snp_session=${randomBytes(32).toString('base64url')}` } })).status;
  t.same([await guess(), await guess(), await guess()], [401, 401, 401], 'unknown sessions are 401');
  t.equal(await guess(), 429, 'then 429, before any lookup');
});
