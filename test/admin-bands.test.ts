// The week's on-call bands over real HTTP: listed with their professional and
// site, cancelled with their open slots, and never cancelled silently over a booking.
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addBooking, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

t.test('list and cancel on-call bands', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const service = await startTestService(t, db.url);
  const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a']);
  const otherCoordinator = (await tokenFor(db.db, 'coordinator', ['terr-b'])).token;
  const as = (token: string) => ({
    get: (path: string) => http(service, 'GET', path, { token }),
    post: (path: string, body: unknown) => http(service, 'POST', path, { token, body }),
    del: (path: string) => http(service, 'DELETE', path, { token }),
  });
  const { get, post, del } = as(coordinator.token);
  const [pro, pro2] = w.a.pros as [typeof w.a.pros[0], typeof w.a.pros[0]];
  const band = { professionalId: pro.id, siteId: pro.siteId, daysOfWeek: [1, 2, 3, 4, 5, 6, 7], localStart: '08:00', localEnd: '12:00', slotMinutes: 30, modality: 'office', validFrom: '2026-01-01' };
  const made = await post('/v1/admin/bands', band);
  t.equal(made.status, 201);
  const other = await post('/v1/admin/bands', { ...band, professionalId: pro2.id, siteId: pro2.siteId, localStart: '14:00', localEnd: '18:00' });
  t.equal(other.status, 201);
  const ended = await post('/v1/admin/bands', { ...band, localStart: '20:00', localEnd: '22:00', validUntil: '2026-01-31' });
  t.equal(ended.status, 201, 'a band that ended long ago');

  const listing = await get('/v1/admin/professionals?territory=terr-a');
  t.match(listing.json.professionals.find((p: { id: string }) => p.id === pro.id).sites, [{ id: pro.siteId, commune: /^\d{5}$/ }], 'the professionals listing carries their sites');
  const from = encodeURIComponent(new Date().toISOString());
  const listed = await get(`/v1/admin/bands?territory=terr-a&from=${from}`);
  t.equal(listed.status, 200);
  t.same(listed.json.bands.map((b: { id: string }) => b.id).sort(), [made.json.band.id, other.json.band.id].sort(), 'the week\'s bands, not one that ended');
  t.match(listed.json.bands.find((b: { id: string }) => b.id === made.json.band.id), {
    localStart: '08:00', localEnd: '12:00', slotMinutes: 30, professional: { id: pro.id, rpps: pro.rpps }, site: { id: pro.siteId, commune: /^\d{5}$/ },
  }, 'with its professional and site');
  t.equal((await get(`/v1/admin/bands?territory=terr-b&from=${from}`)).status, 403, 'not another territory');
  t.equal((await get(`/v1/admin/bands?territory=terr-a&from=${from}&until=${encodeURIComponent(new Date(Date.now() + 9 * 86_400_000).toISOString())}`)).json.errors[0].field, 'querystring.until');
  t.equal((await get('/v1/admin/bands?territory=terr-a')).json.errors[0].field, 'querystring.from');

  // A booking on one of the band's slots: the band cannot be cancelled silently.
  const slots = await db.db.selectFrom('slots').select(['id', 'status']).where('band_id', '=', made.json.band.id).where('starts_at', '>', new Date()).orderBy('starts_at').execute();
  t.ok(slots.length > 10, `the band has future slots (${slots.length})`);
  const bookingId = await addBooking(db.db, { slotId: slots[3]!.id, clientId: coordinator.id });
  t.equal((await as(otherCoordinator).del(`/v1/admin/bands/${made.json.band.id}`)).status, 404, 'another territory\'s band is missing');
  const refused = await del(`/v1/admin/bands/${made.json.band.id}`);
  t.equal(refused.status, 409, 'a band with a booking is not cancelled');
  t.same(refused.json.bookings, [bookingId], 'the refusal names the booking');
  t.match(refused.json.detail, bookingId);
  t.equal(await db.db.selectFrom('slots').select((eb) => eb.fn.countAll<string>().as('n')).where('band_id', '=', made.json.band.id).where('starts_at', '>', new Date()).executeTakeFirstOrThrow().then((r) => Number(r.n)), slots.length, 'nothing removed');

  // The booking cancelled, the band goes with its open slots; the past stays.
  await db.db.updateTable('bookings').set({ status: 'cancelled', cancelled_at: new Date() }).where('id', '=', bookingId).execute();
  await db.db.updateTable('slots').set({ status: 'free' }).where('id', '=', slots[3]!.id).execute();
  await db.db.updateTable('slots').set({ status: 'blocked' }).where('id', '=', slots[5]!.id).execute();
  const cancelled = await del(`/v1/admin/bands/${made.json.band.id}`);
  t.equal(cancelled.status, 200);
  t.same(cancelled.json, { band: { id: made.json.band.id, active: false }, slotsRemoved: slots.length - 1, slotsKeptBlocked: 1 }, 'the slot of the cancelled booking stays, blocked, for the record');
  t.same((await db.db.selectFrom('slots').select(['id', 'status']).where('band_id', '=', made.json.band.id).where('starts_at', '>', new Date()).execute()),
    [{ id: slots[3]!.id, status: 'blocked' }], 'its other future slots are gone');
  t.same((await get(`/v1/admin/bands?territory=terr-a&from=${from}`)).json.bands.map((b: { id: string }) => b.id), [other.json.band.id], 'no longer listed');
  t.equal((await del(`/v1/admin/bands/${made.json.band.id}`)).status, 404, 'a cancelled band is gone');
  const actions = (await db.db.selectFrom('audit_log').select('action').where('action', '=', 'band.cancel').execute()).length;
  t.equal(actions, 1, 'the cancellation is audited once');
});
