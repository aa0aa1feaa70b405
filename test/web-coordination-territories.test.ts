// A coordinator of two CPTS sees the astreintes of both on its page, filters
// them by territory, and a member professional's astreinte (organised by the
// other CPTS) is shown there without the actions that belong to that CPTS.
import t from 'tap';
import { hashPassword } from '../src/auth/passwords.js';
import { insertPerson } from '../src/db/people.js';
import { launchBrowser, newContext } from './helpers/browser.js';
import { migratedDatabase } from './helpers/database.js';
import { addProfessional, addTerritory, COMMUNES, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

const PASSWORD = 'coordination de deux territoires';

t.test("the astreintes of every territory a coordinator serves, filtered by territory", async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  await addTerritory(db.db, { id: 'terr-c', communes: [{ code: '17299', name: 'Rochefort', lat: 45.94, lon: -0.96 }] });
  const proC = await addProfessional(db.db, { territoryId: 'terr-c', commune: { code: '17299', lat: 45.94, lon: -0.96 } });
  await insertPerson(db.db, { login: 'coordination.ab', name: 'Luc Girard', role: 'coordinator', territories: ['terr-a', 'terr-b'], passwordHash: await hashPassword(PASSWORD) });
  const service = await startTestService(t, db.url);
  const admin = (await tokenFor(db.db, 'coordinator', ['terr-a', 'terr-b', 'terr-c'])).token;
  const make = async (pro: { id: string; siteId: string }, localStart: string, localEnd: string) => {
    const made = await http(service, 'POST', '/v1/admin/bands', { token: admin, body: { professionalId: pro.id, siteId: pro.siteId, daysOfWeek: [1, 2, 3, 4, 5, 6, 7], localStart, localEnd, slotMinutes: 30, modality: 'office', validFrom: '2026-01-01' } });
    t.equal(made.status, 201);
    return made.json.band.id as string;
  };
  const bandA = await make(w.a.pros[0]!, '08:00', '10:00');
  const bandB = await make(w.b.pros[0]!, '14:00', '18:00');
  const bandC = await make(proC, '20:00', '22:00');
  // The professional of terr-c also serves terr-b: its astreinte is shown there, managed by terr-c.
  t.equal((await http(service, 'POST', '/v1/admin/territories/terr-b/members', { token: admin, body: { rpps: proC.rpps } })).status, 201);

  const browser = await launchBrowser(t);
  const page = await (await newContext(t, browser)).newPage();
  page.on('pageerror', (error) => t.comment(`page error: ${error.message}`));
  await page.goto(`${service.url}/app/`);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByLabel('Identifiant').fill('coordination.ab');
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${service.url}/app/coordination`);

  const rows = page.locator('[data-testid="bands"] tbody tr');
  const shown = async () => (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-band-id')))).sort();
  await rows.nth(2).waitFor();
  t.same(await shown(), [bandA, bandB, bandC].sort(), 'all my territories: the astreintes of terr-a and terr-b, and the member\'s');
  t.match(await page.locator(`tr[data-band-id="${bandA}"]`).textContent(), /terr-a/, 'each says its territory');
  const member = page.locator(`tr[data-band-id="${bandC}"]`);
  t.match(await member.textContent(), /Gérée par la CPTS terr-c/, "the member's astreinte says who manages it");
  t.equal(await member.getByRole('button').count(), 0, 'without the actions of the CPTS that manages it');

  const filter = page.getByLabel('Territoire des astreintes');
  await filter.selectOption('terr-b');
  await page.locator(`tr[data-band-id="${bandA}"]`).waitFor({ state: 'detached' });
  t.same(await shown(), [bandB, bandC].sort(), 'terr-b: its astreinte and its member\'s');
  await filter.selectOption('terr-a');
  await page.locator(`tr[data-band-id="${bandB}"]`).waitFor({ state: 'detached' });
  t.same(await shown(), [bandA], 'terr-a: its own');
  await filter.selectOption({ label: 'Tous mes territoires' });
  await rows.nth(2).waitFor();
  t.same(await shown(), [bandA, bandB, bandC].sort(), 'all again');
});
