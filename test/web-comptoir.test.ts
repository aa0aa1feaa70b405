// The pharmacist's counter page (issue 17 « Comptoir ») in a real browser: a
// pharmacist logs in through the embedded OpenID provider, triages a cystitis
// to the pharmacy protocol and a chest pain to the 15, then a back pain to the
// créneaux; a créneau booked meanwhile by another client (a regulator over
// HTTP) greys out without a reload (the counter socket's availability push);
// a créneau taken between display and click (its push held back, as on a slow
// link) answers with the next créneau, which is held (countdown), booked with
// the call-back details and confirmed on a printable page.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { Page } from 'playwright-core';
import { hashPassword } from '../src/auth/passwords.js';
import { insertPerson } from '../src/db/people.js';
import { launchBrowser, newContext, screenshot, VIEWPORTS } from './helpers/browser.js';
import { migratedDatabase } from './helpers/database.js';
import { addProfessional, addSlots, COMMUNES, soon, tokenFor, world } from './helpers/fixtures.js';
import { startTestService } from './helpers/service.js';

const PASSWORD = 'correct horse battery';

async function logIn(page: Page, url: string, login: string): Promise<void> {
  await page.goto(`${url}/app/comptoir`);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByLabel('Identifiant').fill(login);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${url}/app/comptoir`);
}

async function orient(page: Page, p: { age: number; sex: string; complaint: string; flags?: string[] }): Promise<void> {
  await page.getByLabel('Âge (années)').fill(String(p.age));
  await page.getByLabel('Sexe').selectOption({ label: p.sex });
  await page.getByLabel('Motif').selectOption({ label: p.complaint });
  for (const flag of p.flags ?? []) await page.getByLabel(flag, { exact: true }).check();
  await page.getByRole('button', { name: 'Orienter le patient' }).click();
}

t.test('a pharmacist orients three patients and books the third, live availability and a conflict on the way', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 0 });
  // Three GPs at increasing distance from Vénissieux, one créneau each, an hour apart.
  const near = await addProfessional(db.db, { territoryId: 'terr-a', commune: COMMUNES.venissieux, familyName: 'Martin', givenName: 'Anne' });
  const other = await addProfessional(db.db, { territoryId: 'terr-a', commune: COMMUNES.saintFons, familyName: 'Bernard', givenName: 'Luc' });
  const third = await addProfessional(db.db, { territoryId: 'terr-a', commune: COMMUNES.saintFons, familyName: 'Petit', givenName: 'Marie' });
  // The confirmation prints the practice's street address (read once booked), not only its commune.
  await db.db.updateTable('sites').set({ address: '3 place de la Mairie, 69190 Saint-Fons' }).where('id', '=', third.siteId).execute();
  const [first] = await addSlots(db.db, near, { start: soon(60), count: 1 });
  const [second] = await addSlots(db.db, other, { start: soon(120), count: 1 });
  const [last] = await addSlots(db.db, third, { start: soon(180), count: 1 });
  await insertPerson(db.db, { login: 'pharmacien.a', name: 'Claire Martin', role: 'pharmacist', territories: ['terr-a'], passwordHash: await hashPassword(PASSWORD) });
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const service = await startTestService(t, db.url);
  const browser = await launchBrowser(t);
  const context = await newContext(t, browser);
  const page = await context.newPage();

  // The counter socket goes through a relay the test controls: it can hold back availability pushes.
  let holdBackAvailability = false;
  await page.routeWebSocket(/\/v1\/ws\/counter/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (holdBackAvailability && typeof message === 'string' && message.includes('"type":"availability"')) return;
      ws.send(message);
    });
  });

  await logIn(page, service.url, 'pharmacien.a');
  await page.getByText('En direct').waitFor({ timeout: 10_000 });
  t.equal(await page.getByTestId('person-name').textContent(), 'Claire Martin');

  // The commune by its postal code, among the territory's communes.
  await page.getByLabel('Commune du patient (nom ou code postal)').fill('69200');
  await page.getByRole('button', { name: 'Vénissieux (69200)' }).click();
  t.equal(await page.getByTestId('commune-chosen').textContent(), 'Vénissieux (69200)', 'the commune is found by its postal code');

  await orient(page, { age: 34, sex: 'Femme', complaint: 'Brûlures urinaires' });
  await page.getByRole('heading', { name: "Prise en charge à l'officine : protocole pharmacien" }).waitFor();
  t.match(await page.getByTestId('orientation').textContent(), /Pourquoi : /, 'the protocol is shown with why');
  t.equal(await page.getByTestId('slot').count(), 0, 'no créneau for the pharmacy protocol');

  await orient(page, { age: 58, sex: 'Homme', complaint: 'Douleur thoracique' });
  await page.getByRole('heading', { name: 'Appelez le 15 maintenant' }).waitFor();
  t.pass('a chest pain is sent to the 15');

  await orient(page, { age: 45, sex: 'Homme', complaint: 'Mal de dos' });
  await page.getByRole('heading', { name: 'Créneaux proposés' }).waitFor();
  t.equal(await page.getByTestId('slot').count(), 3, 'the three créneaux, earliest first');
  t.match(await page.getByTestId('slot').first().textContent(), /Anne Martin.*Vénissieux/s, 'with the professional and the place');
  t.match(await page.getByTestId('slot').nth(1).textContent(), /à \d+,\d km/, 'and the distance');

  // Another client books the second créneau over HTTP: it greys out without a reload.
  const book = (slotId: string) => fetch(`${service.url}/v1/bookings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${regulator.token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ slotId, patient: { name: 'A. B.', phone: '0612345678' } }),
  });
  const started = Date.now();
  t.equal((await book(second!)).status, 201, 'the regulator books the second créneau');
  await page.locator(`[data-slot-id="${second}"].taken`).waitFor({ timeout: 5_000 });
  t.comment(`greyed out ${Date.now() - started} ms after the other client's booking answered`);
  t.ok(await page.locator(`[data-slot-id="${second}"]`).getByText('Pris ailleurs').isVisible(), 'it says the créneau was taken elsewhere');
  t.equal(await page.locator(`[data-slot-id="${second}"] button`).count(), 0, 'and it can no longer be held');
  await screenshot(page, 'comptoir-desktop');
  await page.setViewportSize(VIEWPORTS.phone);
  await screenshot(page, 'comptoir-phone');
  await page.setViewportSize(VIEWPORTS.desktop);

  // The first créneau is taken while its push is held back: the click gets the conflict and the next créneau.
  holdBackAvailability = true;
  t.equal((await book(first!)).status, 201, 'the regulator books the first créneau');
  await page.getByRole('button', { name: /Retenir le créneau du .* avec Anne Martin/ }).click();
  await page.getByTestId('conflict').waitFor();
  t.match(await page.getByTestId('conflict').textContent(), /vient d'être pris ailleurs.*Le suivant : .*Marie Petit/s, 'the conflict offers the next free créneau');
  t.ok(await page.locator(`[data-slot-id="${first}"].taken`).isVisible(), 'the lost créneau is greyed');
  holdBackAvailability = false;
  await page.getByRole('button', { name: 'Retenir le créneau suivant' }).click();

  // Held while the patient decides, with the countdown of the territory's hold time (180 s).
  await page.getByRole('heading', { name: 'Créneau retenu pour le patient' }).waitFor();
  t.match(await page.getByTestId('hold-countdown').textContent(), /Retenu encore [23]:\d\d/, 'the countdown is shown');
  const held = await db.db.selectFrom('slots').select('status').where('id', '=', last!).executeTakeFirstOrThrow();
  t.equal(held.status, 'held', 'the créneau is held in PostgreSQL');

  await page.getByLabel('Nom ou initiales du patient').fill('J. D.');
  await page.getByLabel('Téléphone de rappel').fill('12');
  await page.getByRole('button', { name: 'Réserver ce créneau' }).click();
  await page.getByTestId('page-error').waitFor();
  t.match(await page.getByTestId('page-error').textContent(), /numéro de téléphone/, 'a bad phone number is explained, not shown as a raw problem');
  await page.getByLabel('Téléphone de rappel').fill('06 12 34 56 78');
  await page.getByRole('button', { name: 'Réserver ce créneau' }).click();
  await page.getByTestId('confirmation').waitFor();
  t.match(await page.getByTestId('confirmation-professional').textContent(), /Marie Petit/);
  await page.getByText('3 place de la Mairie').waitFor({ timeout: 5_000 });
  t.match(await page.getByTestId('confirmation-place').textContent(), /^Cabinet, 3 place de la Mairie, 69190 Saint-Fons$/, 'the street address for the patient');
  t.match(await page.getByTestId('confirmation-date').textContent(), /à \d\d:\d\d/);
  const booking = await db.db.selectFrom('bookings').select(['patient', 'request_id']).where('slot_id', '=', last!).executeTakeFirstOrThrow();
  t.match(booking.patient, { name: 'J. D.', phone: '06 12 34 56 78', age: 45, sex: 'male' }, 'booked with the call-back details');
  t.ok(booking.request_id, 'and tied to the triage request');

  // Printed: only the confirmation.
  await page.emulateMedia({ media: 'print' });
  t.ok(await page.getByTestId('confirmation').isVisible(), 'the confirmation prints');
  t.notOk(await page.getByRole('button', { name: 'Imprimer pour le patient' }).isVisible(), 'without the buttons');
  t.notOk(await page.getByTestId('person-name').isVisible(), 'nor the page around it');
  await screenshot(page, 'comptoir-print');
  await page.emulateMedia({ media: 'screen' });
});

t.test('page weight and time to interactive of the counter page', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  await insertPerson(db.db, { login: 'pharmacien.w', name: 'Paul Durand', role: 'pharmacist', territories: ['terr-a'], passwordHash: await hashPassword(PASSWORD) });
  const service = await startTestService(t, db.url);
  const browser = await launchBrowser(t);
  const context = await newContext(t, browser);
  const page = await context.newPage();
  await logIn(page, service.url, 'pharmacien.w');
  await page.getByText('communes desservies').waitFor({ timeout: 10_000 });
  // Measured on a fresh load with a cold cache (the bundle is built at the service's first /app request, already done).
  const cdp = await context.newCDPSession(page);
  // The flag applies only with the Network domain on: without it the browser revalidates the assets by their ETag (304s).
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const samples: Array<{ bytes: number; interactiveMs: number }> = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${service.url}/app/comptoir`);
    // Interactive: the socket is live and the commune list is loaded (the form can be used).
    await page.getByText('En direct').waitFor({ timeout: 10_000 });
    await page.getByText('communes desservies').waitFor({ timeout: 10_000 });
    samples.push(await page.evaluate(() => {
      // The page's Performance (navigation and resource timings), which Node's type of `performance` does not describe.
      const perf = (globalThis as unknown as { performance: { getEntriesByType(type: string): { transferSize: number }[]; now(): number } }).performance;
      const entries = [...perf.getEntriesByType('navigation'), ...perf.getEntriesByType('resource')];
      return { bytes: entries.reduce((sum, e) => sum + e.transferSize, 0), interactiveMs: perf.now() };
    }));
  }
  const bytes = Math.max(...samples.map((s) => s.bytes));
  const tti = samples.map((s) => s.interactiveMs).sort((a, b) => a - b)[1]!;
  t.ok(bytes > 0 && bytes < 200_000, `page weight ${bytes} bytes transferred (under 200 KB)`);
  t.ok(tti < 5_000, `time to interactive ${Math.round(tti)} ms (median of 3)`);
  t.comment(`comptoir: ${bytes} bytes transferred, time to interactive ${Math.round(tti)} ms (median of 3), load ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`);
});
