// The coordinator's board in a real browser: the week's slots as a calendar
// (a slot blocked from it), no escalation once the professional confirmed,
// an unconfirmed booking escalated live and marked handled, the indicators
// counting the bookings, a professional falling ill, the rule-set versions.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { hashPassword } from '../src/auth/passwords.js';
import { escalateOverdue } from '../src/db/outbox/escalation.js';
import { insertPerson } from '../src/db/people.js';
import { coldLoads, launchBrowser, newContext, screenshot, VIEWPORTS } from './helpers/browser.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

const PASSWORD = 'coordination du territoire';
const PATIENT = { name: 'M. R. T.', phone: '+33 6 98 76 54 32' };
const METRICS_DIR = path.resolve(import.meta.dirname, '../docs/page-metrics');
const parisDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(ms));

/**
 * `start`, or the first minute of the next Paris day when a run of `minutes`
 * from `start` would cross midnight: the calendar groups a run by its local
 * day, and one split in two never read « 1/4 pris » (this test failed every
 * evening after 22:10 in Paris). Short slots keep the run short: only in a
 * Sunday's last ten minutes (Paris) does it leave the week, which the week's
 * indicators then cannot count (the service's and PostgreSQL's clocks are real).
 */
function runStartSameParisDay(start: number, minutes: number): number {
  if (parisDay(start) === parisDay(start + minutes * 60_000 - 1)) return start;
  let midnight = start;
  while (parisDay(midnight) === parisDay(start)) midnight += 60_000;
  return midnight;
}

t.test("the coordinator's board: calendar, no escalation after the ack, a live escalation, indicators, illness, rule sets", async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const [pro, other] = w.a.pros as [typeof w.a.pros[0], typeof w.a.pros[0]];
  await insertPerson(db.db, { login: 'coordination.a', name: 'Sophie Bernard', role: 'coordinator', territories: ['terr-a'], passwordHash: await hashPassword(PASSWORD) });
  const slots = await addSlots(db.db, pro!, { start: runStartSameParisDay(soon(2), 4 * 2), count: 4, minutes: 2 });
  const otherSlots = await addSlots(db.db, other!, { start: soon(30), count: 2 });
  const service = await startTestService(t, db.url);
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const book = async (slotId: string) => {
    const answer = await http(service, 'POST', '/v1/bookings', { token: pharmacist.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId, patient: PATIENT } });
    t.equal(answer.status, 201, 'booked');
    return answer.json.booking.id as string;
  };
  // The professional confirms its first booking on its socket (its page does the same: test/web-astreinte.test.ts).
  const device = await TestSocket.open(service.url, '/v1/ws/professional', (await tokenFor(db.db, 'professional', ['terr-a'], pro!.rpps)).token);
  t.teardown(() => device.close());
  await device.waitFor((m) => m.type === 'ready');
  const confirmed = await book(slots[0]!);
  const created = await device.waitFor((m) => m.type === 'booking.created' && m.booking.id === confirmed);
  await device.request({ id: 'ack', type: 'ack', eventId: created.eventId });

  // Two requests from the counter: the charts by origin and orientation have something to draw.
  for (const request of [{ complaint: 'sore-throat', redFlags: [] }, { complaint: 'chest-pain', redFlags: ['chest-pain'] }]) {
    const answer = await http(service, 'POST', '/v1/requests', { token: pharmacist.token, body: { patient: { age: 52, sex: 'male' }, commune: '69259', ...request } });
    t.equal(answer.status, 200, `request ${request.complaint} triaged`);
  }

  const browser = await launchBrowser(t);
  const context = await newContext(t, browser);
  const page = await context.newPage();
  page.on('pageerror', (error) => t.comment(`page error: ${error.message}`));
  await page.goto(`${service.url}/app/`);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByLabel('Identifiant').fill('coordination.a');
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${service.url}/app/coordination`);
  await page.getByTestId('live-state').getByText('En direct').waitFor({ timeout: 10_000 });
  // A load with the cache off measures the page's weight and time to interactive (README « Pages »).
  const metrics = await coldLoads(context, page);

  // Past the deadline of the confirmed booking: nothing to escalate, the board says so.
  t.same(await escalateOverdue(service.prepared.database.pool, new Date(Date.now() + 601_000)), [], 'the confirmed booking is not escalated');
  await page.getByTestId('no-escalation').waitFor();
  t.pass('the board shows no escalation after the ack');

  // The indicators count it (appointments of the week).
  await page.getByTestId('kpi-appointments').getByText(/^1 rendez-vous/).waitFor({ timeout: 5_000 });
  t.pass('the indicators count the booking');
  t.equal(await page.getByRole('button', { name: 'Exporter en CSV' }).getAttribute('href'), '/v1/indicators?territory=terr-a&period=week&format=csv', 'with the CSV export');
  t.match(await page.getByTestId('chart-orientation').locator('svg').getAttribute('aria-label'), /Orientation 15 1/, 'the chart by orientation counts the chest pain');
  t.match(await page.getByTestId('rule-set-versions').textContent(), /1 \(en vigueur\)Référentiel national/, 'the rule-set versions');

  // The calendar: the professional's run, a free slot blocked from it.
  const run = page.locator('[data-testid="week"] details').filter({ has: page.locator(`[data-slot-id="${slots[3]}"]`) });
  await run.locator('summary').click();
  t.match(await run.locator('summary').textContent(), /· 1\/4 pris$/, 'the run says how many of its slots are taken');
  await run.locator(`[data-slot-id="${slots[3]}"]`).click();
  await page.locator(`[data-slot-id="${slots[3]}"].slot-blocked`).waitFor();
  t.equal((await db.db.selectFrom('slots').select('status').where('id', '=', slots[3]!).executeTakeFirstOrThrow()).status, 'blocked', 'the slot is blocked');

  // « Nouvelle astreinte » from the page: tomorrow 08:00–10:00 (Paris) for the first professional, its slots in the calendar.
  const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() + 86_400_000));
  await page.getByLabel("Professionnel d'astreinte").selectOption(pro!.id);
  await page.getByLabel('Lieu').selectOption(pro!.siteId);
  await page.getByLabel('Jour', { exact: true }).fill(tomorrow);
  await page.getByLabel('Début').fill('08:00');
  await page.getByLabel('Fin', { exact: true }).fill('10:00');
  await page.getByRole('button', { name: "Créer l'astreinte" }).click();
  t.match(await page.getByTestId('bands-message').getByText(/Astreinte créée/).textContent(), /4 créneau\(x\) ouvert\(s\)/, 'created from the page: 4 slots of 30 minutes');
  const band = await db.db.selectFrom('oncall_bands').select('id').where('professional_id', '=', pro!.id).executeTakeFirstOrThrow();
  const bandSlots = (await db.db.selectFrom('slots').select('id').where('band_id', '=', band.id).orderBy('starts_at').execute()).map((s) => s.id);
  t.equal(bandSlots.length, 4);
  await page.locator(`[data-testid="bands"] tr[data-band-id="${band.id}"]`).getByText('08:00–10:00').waitFor();
  // Tomorrow may be next week's Monday.
  if (new Date(`${tomorrow}T12:00:00Z`).getUTCDay() === 1) await page.getByRole('button', { name: 'Semaine suivante' }).click();
  await page.locator('[data-testid="week"] summary').filter({ hasText: /^08:00–10:00 · .* · 0\/4 pris$/ }).waitFor({ timeout: 5_000 });
  t.equal(await page.locator(`[data-slot-id="${bandSlots[0]}"]`).count(), 1, 'its slots are in the calendar');
  if (new Date(`${tomorrow}T12:00:00Z`).getUTCDay() === 1) await page.getByRole('button', { name: 'Cette semaine' }).click();

  // A booked astreinte is not cancelled silently: the page says why and what to do.
  const bandBooking = await book(bandSlots[1]!);
  const cancelButton = page.locator(`[data-testid="bands"] tr[data-band-id="${band.id}"]`).getByRole('button', { name: /Annuler l'astreinte/ });
  await cancelButton.click();
  t.match(await page.getByTestId('bands-message').getByText(/Astreinte maintenue/).textContent(), /1 prise\(s\) en charge y sont réservées\. Annulez-les d'abord/, 'refused, in words');
  t.equal((await db.db.selectFrom('slots').select('id').where('band_id', '=', band.id).execute()).length, 4, 'nothing removed');
  const cancelledBooking = await http(service, 'POST', `/v1/bookings/${bandBooking}/cancel`, { token: pharmacist.token, body: { reason: 'test' } });
  t.equal(cancelledBooking.status, 200, 'the booking cancelled by its requester');
  await cancelButton.click();
  await page.getByTestId('bands-message').getByText(/Astreinte annulée/).waitFor();
  t.same((await db.db.selectFrom('slots').select(['id', 'status']).where('band_id', '=', band.id).execute()), [{ id: bandSlots[1], status: 'blocked' }], 'its open slots removed, the once-booked one kept blocked');
  await page.locator(`[data-testid="bands"] tr[data-band-id="${band.id}"]`).waitFor({ state: 'detached' });
  // One astreinte left on the board for the screenshot.
  await page.getByLabel('Début').fill('12:00');
  await page.getByLabel('Fin', { exact: true }).fill('14:00');
  await page.getByRole('button', { name: "Créer l'astreinte" }).click();
  await page.locator('[data-testid="bands"] tbody tr').getByText('12:00–14:00').waitFor();

  // An unconfirmed booking: escalated, shown live, then marked handled.
  const unconfirmed = await book(slots[1]!);
  t.same(await escalateOverdue(service.prepared.database.pool, new Date(Date.now() + 601_000)), [unconfirmed], 'the unconfirmed booking is escalated');
  await page.locator(`[data-testid="escalations"] tr[data-booking-id="${unconfirmed}"]`).waitFor({ timeout: 5_000 });
  t.equal(await page.locator('[data-testid="escalations"] tbody tr').count(), 1, 'only that one');
  await screenshot(page, 'coordination-desktop');
  await page.getByRole('button', { name: /Traitée/ }).click();
  await page.getByTestId('no-escalation').waitFor();
  t.pass('marked handled');

  // A professional falls ill: its slots blocked (the booked one too, once cancelled), its booking cancelled.
  const otherBooking = await book(otherSlots[0]!);
  await page.getByLabel('Professionnel', { exact: true }).selectOption(other!.id);
  await page.getByLabel("Absent jusqu'au").fill(new Date(Date.now() + 2 * 86_400_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16));
  await page.getByRole('button', { name: /Bloquer ses créneaux/ }).click();
  t.match(await page.getByTestId('illness-result').textContent(), /2 créneau\(x\) bloqué\(s\), 1 prise\(s\) en charge annulée\(s\)/, 'the result in words');
  t.equal((await db.db.selectFrom('bookings').select('status').where('id', '=', otherBooking).executeTakeFirstOrThrow()).status, 'cancelled', 'its booking is cancelled');

  // « Modifier » an astreinte: 12:00–14:00 (30 min) with its 12:30 slot booked becomes 13:00–16:00 in slots of 60 minutes.
  // The calendar follows without a reload; the booked 12:30 stays booked and the page says so.
  const edited = await db.db.selectFrom('oncall_bands').select('id').where('professional_id', '=', pro!.id).where('active', '=', true).executeTakeFirstOrThrow();
  const editedSlots = await db.db.selectFrom('slots').select(['id', 'starts_at']).where('band_id', '=', edited.id).orderBy('starts_at').execute();
  t.equal(editedSlots.length, 4, 'the 12:00–14:00 astreinte has 4 slots');
  const keptBooking = await book(editedSlots[1]!.id);
  const onNextWeek = new Date(`${tomorrow}T12:00:00Z`).getUTCDay() === 1;
  // The calendar shows the week as of its last load, and nothing reloaded it since that booking:
  // open tomorrow's week, as the coordinator would (this passed only when tomorrow was a Monday,
  // where the test already clicked « Semaine suivante »).
  await page.getByRole('button', { name: onNextWeek ? 'Semaine suivante' : 'Cette semaine' }).click();
  await page.locator('[data-testid="week"] summary').filter({ hasText: /^12:00–14:00 · .* · 1\/4 pris$/ }).waitFor({ timeout: 5_000 });
  await page.locator(`[data-testid="bands"] tr[data-band-id="${edited.id}"]`).getByRole('button', { name: /Modifier l'astreinte/ }).click();
  const editForm = page.getByTestId('band-edit');
  t.equal(await editForm.getByLabel("Début de l'astreinte").inputValue(), '12:00', 'the form opens on the current hours');
  await editForm.getByLabel("Début de l'astreinte").fill('13:00');
  await editForm.getByLabel("Fin de l'astreinte").fill('16:00');
  await editForm.getByLabel("Durée d'un créneau (minutes)").fill('60');
  await editForm.getByRole('button', { name: 'Enregistrer les nouveaux horaires' }).click();
  const editMessage = await page.getByTestId('bands-message').getByText(/Astreinte modifiée/).textContent();
  t.match(editMessage, /3 créneau\(x\) ouvert\(s\), 3 retiré\(s\)\. 1 prise\(s\) en charge déjà réservée\(s\) hors des nouveaux horaires sont maintenue\(s\)/, 'the answer in words, the booked slot kept');
  await editForm.waitFor({ state: 'detached' });
  await page.locator(`[data-testid="bands"] tr[data-band-id="${edited.id}"]`).getByText('13:00–16:00').waitFor();
  // The booked 12:30–13:00 and the three new hours make one run of the calendar, changed without a reload.
  await page.locator('[data-testid="week"] summary').filter({ hasText: /^12:30–16:00 · .* · 1\/4 pris$/ }).waitFor({ timeout: 5_000 });
  t.equal(await page.locator('[data-testid="week"] summary').filter({ hasText: /^12:00–14:00 ·/ }).count(), 0, 'the old hours are gone from the calendar');
  const afterEdit = await db.db.selectFrom('slots').select(['id', 'status', 'starts_at', 'ends_at']).where('band_id', '=', edited.id).orderBy('starts_at').execute();
  t.same(afterEdit.map((s) => [s.status, (s.ends_at.getTime() - s.starts_at.getTime()) / 60_000]), [['booked', 30], ['free', 60], ['free', 60], ['free', 60]], 'in the database: the booked slot kept, three slots of an hour');
  t.equal(afterEdit[0]!.id, editedSlots[1]!.id);
  t.equal((await db.db.selectFrom('bookings').select('status').where('id', '=', keptBooking).executeTakeFirstOrThrow()).status, 'booked', 'its booking untouched');
  await screenshot(page, 'coordination-band-edited');
  if (onNextWeek) await page.getByRole('button', { name: 'Cette semaine' }).click();

  await mkdir(METRICS_DIR, { recursive: true });
  await writeFile(path.join(METRICS_DIR, 'coordination.json'), `${JSON.stringify({ page: '/app/coordination', ...metrics, loadAverage: loadavg()[0], at: new Date().toISOString() }, null, 2)}\n`);
  t.ok(metrics.transferredBytes > 0, `page weight ${metrics.transferredBytes} B, interactive in ${metrics.interactiveMs} ms (median of 3)`);
  await page.setViewportSize(VIEWPORTS.phone);
  await screenshot(page, 'coordination-phone');
});
