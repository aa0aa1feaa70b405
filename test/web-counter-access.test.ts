// « Accès au comptoir » in a real browser: a coordinator opens the counter to a
// pharmacist from the coordination page (refusals said in French), the
// pharmacist logs in through the embedded OpenID provider and reaches the
// Comptoir page; once the coordinator withdraws the access, its open page's
// session ends and it can no longer log in.
import t from 'tap';
import type { Page } from 'playwright-core';
import { hashPassword } from '../src/auth/passwords.js';
import { insertPerson } from '../src/db/people.js';
import { launchBrowser, newContext, screenshot } from './helpers/browser.js';
import { migratedDatabase } from './helpers/database.js';
import { world } from './helpers/fixtures.js';
import { startTestService } from './helpers/service.js';

const COORDINATOR_PASSWORD = 'coordination du territoire';
const PHARMACIST_PASSWORD = 'une longue phrase de passe';

async function logIn(page: Page, url: string, login: string, password: string): Promise<void> {
  await page.goto(`${url}/app/`);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByLabel('Identifiant').fill(login);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

t.test('a coordinator gives a pharmacist the counter, who logs in; withdrawn, it cannot', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  await insertPerson(db.db, { login: 'coordination.a', name: 'Sophie Bernard', role: 'coordinator', territories: ['terr-a'], passwordHash: await hashPassword(COORDINATOR_PASSWORD) });
  await insertPerson(db.db, { login: 'pharmacie.b', name: 'Pharmacie du territoire B', role: 'pharmacist', territories: ['terr-b'], passwordHash: await hashPassword(PHARMACIST_PASSWORD) });
  const service = await startTestService(t, db.url);
  const browser = await launchBrowser(t);

  const coordination = await (await newContext(t, browser)).newPage();
  coordination.on('pageerror', (error) => t.comment(`page error: ${error.message}`));
  coordination.on('dialog', (dialog) => void dialog.accept());
  await logIn(coordination, service.url, 'coordination.a', COORDINATOR_PASSWORD);
  await coordination.waitForURL(`${service.url}/app/coordination`);
  const panel = coordination.getByTestId('counter-access');
  await panel.getByText("Personne n'a encore accès au comptoir dans ce territoire.").waitFor();
  t.pass('no counter user yet (the other territory\'s pharmacist is not listed)');

  const message = () => panel.getByTestId('counter-access-message').textContent();
  const fill = async (name: string, login: string, password: string) => {
    await panel.getByLabel('Nom (personne ou officine)').fill(name);
    await panel.getByLabel('Identifiant de connexion').fill(login);
    await panel.getByLabel(/Mot de passe/).fill(password);
    await panel.getByRole('button', { name: "Ouvrir l'accès" }).click();
  };
  // The API's refusals, in words.
  await fill('Pharmacie de la Gare', 'pharmacie gare', PHARMACIST_PASSWORD);
  await panel.getByTestId('counter-access-message').getByText(/^Identifiant : 3 caractères au moins/).waitFor();
  t.pass('a login with a space: said what is allowed');
  await fill('Pharmacie de la Gare', 'pharmacie.gare', 'trop court');
  await panel.getByTestId('counter-access-message').getByText(/^Mot de passe : 12 caractères au moins/).waitFor();
  t.pass('a short password: said');
  await fill('Pharmacie de la Gare', 'pharmacie.b', PHARMACIST_PASSWORD);
  await panel.getByTestId('counter-access-message').getByText(/^Cet identifiant est déjà enregistré/).waitFor();
  t.pass('a login taken (in another territory): said, nothing revealed about whom');
  t.notMatch(await message(), /urn:problem|"status"/, 'never a problem body');

  await fill('Pharmacie de la Gare', 'pharmacie.gare', PHARMACIST_PASSWORD);
  t.match(await panel.getByTestId('counter-access-message').getByText(/^Accès ouvert/).textContent(), /Pharmacie de la Gare \(identifiant pharmacie\.gare\)/);
  const row = panel.locator('tr[data-login="pharmacie.gare"]');
  await row.waitFor();
  t.match(await row.textContent(), /Pharmacie de la Garepharmacie\.garePharmacien\(ne\)Retirer l'accès/, 'listed, with its role and the revoke action');
  const stored = await db.db.selectFrom('people as p').innerJoin('api_clients as c', 'c.id', 'p.client_id').select(['c.role', 'c.territories'])
    .where('p.login', '=', 'pharmacie.gare').executeTakeFirstOrThrow();
  t.same(stored, { role: 'pharmacist', territories: ['terr-a'] }, 'a pharmacist of the coordinator\'s territory');

  // The pharmacist logs in through the embedded provider and reaches the counter.
  const counterContext = await newContext(t, browser);
  const counter = await counterContext.newPage();
  await logIn(counter, service.url, 'pharmacie.gare', PHARMACIST_PASSWORD);
  await counter.waitForURL(`${service.url}/app/comptoir`);
  t.equal(await counter.getByTestId('person-name').textContent(), 'Pharmacie de la Gare', 'the Comptoir page, with its name');
  await counter.getByText('En direct').waitFor({ timeout: 10_000 });
  await screenshot(coordination, 'coordination-counter-access');

  // Withdrawn: its open page's session ends, and it can no longer log in.
  await row.getByRole('button', { name: "Retirer l'accès de Pharmacie de la Gare" }).click();
  await panel.getByTestId('counter-access-message').getByText(/^Accès retiré pour Pharmacie de la Gare/).waitFor();
  await row.getByText('Retiré', { exact: true }).waitFor();
  await counter.getByText('Session terminée — reconnectez-vous').waitFor({ timeout: 10_000 });
  t.pass('the open counter page is told its session ended');
  t.equal((await counter.evaluate(async () => (await fetch('/app/api/session')).status)), 401, 'its session is over');
  const again = await (await newContext(t, browser)).newPage();
  await logIn(again, service.url, 'pharmacie.gare', PHARMACIST_PASSWORD);
  await again.getByText('Identifiant ou mot de passe incorrect.').waitFor();
  t.notOk(again.url().includes('/app/comptoir'), 'a withdrawn pharmacist cannot log in');
});
