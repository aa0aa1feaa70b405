// Coordinator administration over real HTTP: what it creates is matchable at
// once, what it blocks is not, and a professional falling ill cancels its
// bookings and tells their requesters.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addBooking, addSlots, COMMUNES, nextRpps, soon, tokenFor, world } from './helpers/fixtures.js';
import { http, matchIds, startTestService } from './helpers/service.js';

/** What /v1/match offers once the index has caught up with every change made so far. */
const matchIdsAfterSync = async (service: { url: string; sync: { catchUp(): Promise<void> } }, token: string, body: Record<string, unknown> = {}) => {
  await service.sync.catchUp();
  return matchIds(service, token, body);
};

t.test('professionals, sites, bands and ad-hoc slots', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url);
  const coordinator = (await tokenFor(db.db, 'coordinator', ['terr-a'])).token;
  const regulator = (await tokenFor(db.db, 'regulator', ['terr-a'])).token;
  const post = (path: string, body: unknown) => http(service, 'POST', path, { token: coordinator, body });

  const rpps = nextRpps();
  const badKey = rpps.slice(0, 10) + String((Number(rpps[10]) + 1) % 10);
  const invalid = await post('/v1/admin/professionals', { territory: 'terr-a', rpps: badKey, familyName: 'Durand', givenName: 'Lea', profession: 'nurse' });
  t.equal(invalid.status, 400, 'a bad RPPS check digit is refused');
  t.equal(invalid.json.errors[0].field, 'body.rpps');
  const created = await post('/v1/admin/professionals', { territory: 'terr-a', rpps, familyName: 'Durand', givenName: 'Léa', profession: 'nurse', skills: ['wound-care'], modalities: ['office', 'home'] });
  t.equal(created.status, 201);
  t.match(created.json.professional, { rpps, territory: 'terr-a', profession: 'nurse', skills: ['wound-care'], active: true });
  const proId = created.json.professional.id;
  const dup = await post('/v1/admin/professionals', { territory: 'terr-a', rpps, familyName: 'X', givenName: 'Y', profession: 'gp' });
  t.equal(dup.status, 409);
  t.equal(dup.json.errors[0].field, 'body.rpps');
  t.equal((await post('/v1/admin/professionals', { territory: 'terr-b', rpps: nextRpps(), familyName: 'X', givenName: 'Y', profession: 'gp' })).status, 403, 'not in another territory');

  const patched = await http(service, 'PATCH', `/v1/admin/professionals/${proId}`, { token: coordinator, body: { givenName: 'Léa-Marie' } });
  t.equal(patched.json.professional.givenName, 'Léa-Marie');
  t.equal((await http(service, 'PATCH', `/v1/admin/professionals/${proId}`, { token: coordinator, body: {} })).json.errors[0].field, 'body');

  t.equal((await post(`/v1/admin/professionals/${proId}/sites`, { commune: '99999' })).json.errors[0].field, 'body.commune');
  const site = await post(`/v1/admin/professionals/${proId}/sites`, { commune: COMMUNES.venissieux.code, label: 'Cabinet' });
  t.equal(site.status, 201);
  t.match(site.json.site, { commune: COMMUNES.venissieux.code, lat: COMMUNES.venissieux.lat, lon: COMMUNES.venissieux.lon }, 'defaults to the commune centre');
  const siteId = site.json.site.id;

  const band = { professionalId: proId, siteId, daysOfWeek: [1, 2, 3, 4, 5, 6, 7], localStart: '00:00', localEnd: '23:00', slotMinutes: 60, modality: 'home', validFrom: '2026-01-01' };
  t.equal((await post('/v1/admin/bands', { ...band, localStart: '25:00' })).json.errors[0].field, 'body.localStart');
  t.equal((await post('/v1/admin/bands', { ...band, modality: 'video' })).json.errors[0].field, 'body.modality', 'a modality the professional does not offer');
  const made = await post('/v1/admin/bands', band);
  t.equal(made.status, 201);
  t.ok(made.json.slotsCreated > 100, `the band is materialised at once (${made.json.slotsCreated} slots)`);
  const overlap = await post('/v1/admin/bands', { ...band, localStart: '22:00', localEnd: '23:30' });
  t.equal(overlap.status, 409, 'an overlapping band of the same professional is refused');
  const nurseSlots = await matchIdsAfterSync(service, regulator, { professions: ['nurse'] });
  t.ok(nurseSlots.length > 0, 'its slots are matchable');

  await db.db.deleteFrom('slots').where('band_id', '=', made.json.band.id).execute();
  const start = soon(120);
  const adHoc = { professionalId: proId, siteId, start: new Date(start).toISOString(), end: new Date(start + 30 * 60_000).toISOString(), modality: 'office' };
  const slot = await post('/v1/admin/slots', adHoc);
  t.equal(slot.status, 201);
  t.match(slot.json.slot, { status: 'free', territory: 'terr-a', start: /[+-]\d\d:\d\d$/ });
  t.same(await matchIdsAfterSync(service, regulator, { professions: ['nurse'] }), [slot.json.slot.id], 'an ad-hoc slot is matchable at once');
  t.equal((await post('/v1/admin/slots', adHoc)).status, 409, 'overlapping slots are refused');
  t.equal((await post('/v1/admin/slots', { ...adHoc, start: new Date(Date.now() - 60_000).toISOString() })).json.errors[0].field, 'body.start');
  t.equal((await post('/v1/admin/slots', { ...adHoc, end: adHoc.start })).json.errors[0].field, 'body.end');

  const blocked = await post(`/v1/admin/slots/${slot.json.slot.id}/block`, { reason: 'room closed' });
  t.equal(blocked.json.slot.status, 'blocked');
  t.same(await matchIdsAfterSync(service, regulator, { professions: ['nurse'] }), [], 'a blocked slot is not matchable');
  const booking = await http(service, 'POST', '/v1/bookings', { token: regulator, headers: { 'idempotency-key': randomUUID() }, body: { slotId: slot.json.slot.id, patient: { name: 'A', phone: '0600000000' } } });
  t.equal(booking.status, 409);
  t.equal(booking.json.reason, 'blocked');
  t.equal((await post(`/v1/admin/slots/${slot.json.slot.id}/unblock`, {})).json.slot.status, 'free');
  t.same(await matchIdsAfterSync(service, regulator, { professions: ['nurse'] }), [slot.json.slot.id], 'unblocked: matchable again');
  const actions = (await db.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((a) => a.action);
  t.same(actions, ['professional.create', 'professional.update', 'site.create', 'band.create', 'slot.create', 'slot.block', 'slot.unblock'], 'every change is audited');
});

t.test('a professional falls ill: its bookings are cancelled, requesters told, slots blocked', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const [ill, other] = w.a.pros;
  const service = await startTestService(t, db.url);
  const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a']);
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const start = soon();
  const [s1, s2, s3, s4] = await addSlots(db.db, ill!, { start, count: 4 });
  const [later] = await addSlots(db.db, ill!, { start: start + 3 * 86_400_000, count: 1 });
  const [others] = await addSlots(db.db, other!, { start, count: 1 });
  const b1 = await addBooking(db.db, { slotId: s1!, clientId: regulator.id });
  const b2 = await addBooking(db.db, { slotId: s2!, clientId: pharmacist.id });
  const b3 = await addBooking(db.db, { slotId: later!, clientId: regulator.id });
  const b4 = await addBooking(db.db, { slotId: others!, clientId: regulator.id });

  const answer = await http(service, 'POST', `/v1/admin/professionals/${ill!.id}/unavailable`, {
    token: coordinator.token, body: { until: new Date(start + 86_400_000).toISOString(), reason: 'sick leave' },
  });
  t.equal(answer.status, 200);
  t.same(answer.json.cancelledBookings.sort(), [b1, b2].sort(), 'the bookings in the period are cancelled');
  t.equal(answer.json.blockedSlots, 4, 'and all four slots of the period are blocked');
  const status = Object.fromEntries((await db.db.selectFrom('bookings').select(['id', 'status']).execute()).map((b) => [b.id, b.status]));
  t.same(status, { [b1]: 'cancelled', [b2]: 'cancelled', [b3]: 'booked', [b4]: 'booked' }, 'nothing outside the period or of another professional');
  const slots = Object.fromEntries((await db.db.selectFrom('slots').select(['id', 'status']).execute()).map((s) => [s.id, s.status]));
  t.same([slots[s1!], slots[s2!], slots[s3!], slots[s4!], slots[later!], slots[others!]], ['blocked', 'blocked', 'blocked', 'blocked', 'booked', 'booked']);
  const told = await db.db.selectFrom('events').select(['recipient_kind', 'recipient_id', 'booking_id', 'type']).orderBy('id').execute();
  t.same(told.filter((e) => e.recipient_kind === 'client').map((e) => [e.recipient_id, e.booking_id, e.type]).sort(),
    [[regulator.id, b1, 'booking.cancelled'], [pharmacist.id, b2, 'booking.cancelled']].sort(), 'each requester is told');
  t.equal(told.filter((e) => e.recipient_kind === 'professional').length, 2, 'and the professional');
  t.same(await matchIdsAfterSync(service, regulator.token), [], 'nothing of the ill professional is matchable in the period');
});
