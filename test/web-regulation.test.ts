// The SAS's booking link followed in a real browser (issue 14 flux v2, issue 17
// Régulation): the SAS creates a regulator account (FrPractitionerRegul), a Slot's
// comment gives the link; opened without a session it goes through the embedded
// OpenID provider's login and back to the slot; the regulator books it for the
// patient; the booking is pushed to the professional's socket. A slot gone (before
// the page or while it is open) is said plainly, with the next free slots. Page weight
// and time to interactive are measured in the browser; screenshots at desktop and phone width.
import { sql } from 'kysely';
import t from 'tap';
import { hashPassword } from '../src/auth/passwords.js';
import { formatFhirInstant } from '../src/sas/resources/instant.js';
import { launchBrowser, newContext, screenshot, scrollsSideways, transferredBytes, VIEWPORTS } from './helpers/browser.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

const IDNPS = 'urn:oid:1.2.250.1.71.4.2.1';
const REGULATOR_RPPS = '10002673899';
const PASSWORD = 'une phrase de passe du SAS';

t.test('a regulator follows a Slot.comment link, logs in, books for the patient; the professional\'s socket gets it', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  await sql`update territories set organisation_identifier = '1690000010' where id = 'terr-a'`.execute(db.db);
  const [pro, other] = [w.a.pros[0]!, w.a.pros[1]!];
  const start = soon(90);
  await addSlots(db.db, pro, { start, count: 4 });
  await addSlots(db.db, other, { start: start + 3_600_000, count: 2 });
  const service = await startTestService(t, db.url);
  await service.sync.catchUp();
  const sas = await tokenFor(db.db, 'regulator', ['terr-a']);

  // Flux v1: the SAS creates the regulator's account; its login is the RPPS.
  const account = await http(service, 'POST', '/fhir/Practitioner', {
    token: sas.token, headers: { 'content-type': 'application/fhir+json' },
    body: {
      resourceType: 'Practitioner', meta: { source: 'urn:oid:1.2.250.1.213.3.6' },
      identifier: [{ type: { coding: [{ system: 'http://interopsante.org/fhir/CodeSystem/fr-v2-0203', code: 'IDNPS' }] }, system: IDNPS, value: `8${REGULATOR_RPPS}` }],
      active: true, name: [{ family: 'Marius', given: ['Jules'] }], telecom: [{ system: 'email', value: 'jules.marius@test.com' }],
    },
  });
  t.equal(account.status, 201, 'the SAS created the regulator account');
  // The provider's own credentials (Pro Santé Connect's card or app in production).
  await db.db.updateTable('people').set({ password_hash: await hashPassword(PASSWORD) }).where('login', '=', REGULATOR_RPPS).execute();

  // Flux v2: the links of the professional's slots.
  const at = (ms: number) => formatFhirInstant(ms, 'Europe/Paris');
  const search = await http(service, 'GET', `/fhir/Slot?start=ge${at(Date.now())}&start=le${at(start + 86_400_000)}&schedule.actor:Practitioner.identifier=${IDNPS}|8${pro.rpps}&status=free`, { token: sas.token });
  const links: string[] = search.json.entry.map((e: any) => e.resource).filter((r: any) => r.resourceType === 'Slot').map((r: any) => r.comment);
  t.equal(links.length, 4, 'one link per slot');
  const slotOf = (link: string) => new URL(link).searchParams.get('creneau')!;

  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps);
  const device = await TestSocket.open(service.url, '/v1/ws/professional', proToken.token);
  t.teardown(() => device.close());
  await device.waitFor((m) => m.type === 'ready');

  const browser = await launchBrowser(t);
  const context = await newContext(t, browser);
  const page = await context.newPage();
  await page.goto(links[0]!);
  await page.waitForURL(/\/oidc\/interaction\//);
  t.pass('the link without a session leads to the login page');
  await page.getByLabel('Identifiant').fill(REGULATOR_RPPS);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(links[0]!);
  t.pass('back on the slot\'s link after the login');
  await page.getByRole('button', { name: 'Réserver ce créneau' }).waitFor();
  t.equal(await page.getByTestId('person-name').textContent(), 'Jules Marius', 'the regulator is named');
  const named = await db.db.selectFrom('professionals').select(['given_name', 'family_name']).where('id', '=', pro.id).executeTakeFirstOrThrow();
  t.equal(await page.getByTestId('slot-professional').textContent(), `${named.given_name} ${named.family_name}`, 'the professional');
  t.match(await page.getByTestId('slot-when').textContent(), /\d{2}:\d{2} – \d{2}:\d{2}/, 'when, in the territory\'s time');
  t.ok((await page.getByTestId('slot-place').textContent())?.trim(), 'where');
  await screenshot(page, 'regulation-desktop');

  await page.getByLabel('Nom ou initiales').fill('M. D.');
  await page.getByLabel('Téléphone pour le rappel').fill('+33 6 39 98 12 34');
  await page.getByLabel('Âge (facultatif)').fill('47');
  await page.getByRole('button', { name: 'Réserver ce créneau' }).click();
  await page.getByTestId('booked').waitFor();
  t.match(await page.getByTestId('booked').textContent(), /Rendez-vous confirmé/, 'the page says it is booked');
  const pushed = await device.waitFor((m) => m.type === 'booking.created', 5_000, 'the booking on the professional\'s socket');
  const booked = await db.db.selectFrom('bookings').select(['id', 'slot_id']).execute();
  t.same(booked.map((b) => b.slot_id), [slotOf(links[0]!)], 'one booking, of that slot');
  t.equal(pushed.booking.id, booked[0]!.id, 'the professional\'s socket got that booking');
  t.equal(pushed.booking.patient.name, 'M. D.', 'with the patient\'s call-back details');

  // The same link again: the slot is gone, the next free ones are offered.
  await page.goto(links[0]!);
  await page.getByTestId('slot-gone').waitFor();
  t.match(await page.getByTestId('slot-gone').textContent(), /n'est plus disponible/);
  await page.getByTestId('alternatives').waitFor();
  t.ok(await page.getByTestId('alternatives').locator('a').count() > 0, 'with links to the next free slots');

  // Taken while the page is open (another client books it first): the 409's alternatives.
  await page.goto(links[1]!);
  await page.getByRole('button', { name: 'Réserver ce créneau' }).waitFor();
  const first = await http(service, 'POST', '/v1/bookings', { token: sas.token, headers: { 'idempotency-key': 'other-client' }, body: { slotId: slotOf(links[1]!), patient: { name: 'X', phone: '0600000000' } } });
  t.equal(first.status, 201, 'someone else booked it');
  await page.getByLabel('Nom ou initiales').fill('A. B.');
  await page.getByLabel('Téléphone pour le rappel').fill('0611223344');
  await page.getByRole('button', { name: 'Réserver ce créneau' }).click();
  await page.getByTestId('slot-gone').waitFor();
  t.match(await page.getByTestId('slot-gone').textContent(), /vient d'être pris/, 'the conflict said plainly');
  t.ok(await page.getByTestId('alternatives').locator('a').count() > 0, 'with the next slots');

  // Page weight and time to interactive: a fresh context (empty cache) with the session, the form ready to type in.
  const state = await context.storageState();
  const measured = await newContext(t, browser, { storageState: state });
  const fresh = await measured.newPage();
  const startedAt = Date.now();
  await fresh.goto(links[2]!);
  await fresh.getByRole('button', { name: 'Réserver ce créneau' }).waitFor();
  const interactiveMs = Date.now() - startedAt;
  const bytes = await transferredBytes(fresh);
  t.ok(bytes > 0 && bytes < 200_000, `page weight ${bytes} bytes transferred`);
  t.ok(interactiveMs < 10_000, `time to interactive ${interactiveMs} ms`);
  t.comment(`Régulation page: ${bytes} bytes transferred, interactive in ${interactiveMs} ms`);

  // Phone width.
  const phone = await newContext(t, browser, { storageState: state, viewport: VIEWPORTS.phone });
  const small = await phone.newPage();
  await small.goto(links[3]!);
  await small.getByRole('button', { name: 'Réserver ce créneau' }).waitFor();
  t.notOk(await scrollsSideways(small), 'no horizontal scrolling at phone width');
  await screenshot(small, 'regulation-phone');

  // A regulator account deactivated by the SAS: its session ends.
  const off = await http(service, 'PUT', `/fhir/Practitioner?identifier=${encodeURIComponent(`${IDNPS}|8${REGULATOR_RPPS}`)}`, {
    token: sas.token, headers: { 'content-type': 'application/fhir+json' },
    body: { ...account.json, active: false },
  });
  t.equal(off.status, 200);
  const after = await small.evaluate(async () => (await fetch('/app/api/session')).status);
  t.equal(after, 401, 'the deactivated regulator\'s session is over');
});
