// Editing an on-call band over real HTTP (PATCH /v1/admin/bands/:id): its open
// slots follow the edited hours at once (a block kept where the slot remains),
// a booked slot outside the edited band stays booked and is counted, a live
// hold refuses the edit, and the refusals name the field.
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addBooking, addHold, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

const DAY = 86_400_000;
const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const local = (d: Date) => paris.format(d);

t.test('edit an on-call band: slots re-materialised, booked slots kept, refusals named', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const service = await startTestService(t, db.url);
  const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a']);
  const as = (token: string) => ({
    post: (path: string, body: unknown) => http(service, 'POST', path, { token, body }),
    patch: (path: string, body: unknown) => http(service, 'PATCH', path, { token, body }),
  });
  const { post, patch } = as(coordinator.token);
  const [pro, pro2] = w.a.pros as [typeof w.a.pros[0], typeof w.a.pros[0]];
  const made = await post('/v1/admin/bands', { professionalId: pro.id, siteId: pro.siteId, daysOfWeek: [1, 2, 3, 4, 5, 6, 7], localStart: '08:00', localEnd: '12:00', slotMinutes: 30, modality: 'office', validFrom: '2026-01-01' });
  t.equal(made.status, 201);
  const bandId = made.json.band.id as string;
  const future = () => db.db.selectFrom('slots').select(['id', 'status', 'starts_at', 'ends_at']).where('band_id', '=', bandId)
    .where('starts_at', '>', new Date()).orderBy('starts_at').execute();
  const before = await future();
  // Tomorrow onwards (Paris): every slot of those days is in the future whatever the time now.
  const later = before.filter((s) => s.starts_at.getTime() > Date.now() + DAY);
  const at = (hhmm: string) => later.find((s) => local(s.starts_at) === hhmm)!;
  const booked = at('11:00');
  const blocked = at('09:00');
  const kept = at('08:00');
  const bookingId = await addBooking(db.db, { slotId: booked.id, clientId: coordinator.id });
  t.equal((await post(`/v1/admin/slots/${blocked.id}/block`, { reason: 'réunion' })).status, 200, 'a slot blocked by the coordinator');

  // Refusals: nothing to change, a bad field, an end before the start, another territory, another role.
  const empty = await patch(`/v1/admin/bands/${bandId}`, {});
  t.equal(empty.status, 400);
  t.equal(empty.json.errors[0].field, 'body', 'an empty edit names the body');
  t.equal((await patch(`/v1/admin/bands/${bandId}`, { localEnd: '10h' })).json.errors[0].field, 'body.localEnd');
  t.equal((await patch(`/v1/admin/bands/${bandId}`, { slotMinutes: 2 })).json.errors[0].field, 'body.slotMinutes');
  t.equal((await patch(`/v1/admin/bands/${bandId}`, { unknown: 1 })).status, 400, 'unknown fields refused');
  const reversed = await patch(`/v1/admin/bands/${bandId}`, { validUntil: '2025-12-31' });
  t.equal(reversed.status, 400, 'an end of validity before its start is refused');
  t.match(reversed.headers.get('content-type'), /application\/problem\+json/);
  t.same(reversed.json.errors.map((e: { field: string }) => e.field), ['body.validUntil'], 'the rule checked on the edited band names the field');
  t.equal((await patch(`/v1/admin/bands/${bandId}`, { localStart: '25:00' })).json.errors[0].field, 'body.localStart');
  t.equal((await as((await tokenFor(db.db, 'coordinator', ['terr-b'])).token).patch(`/v1/admin/bands/${bandId}`, { localEnd: '10:00' })).status, 404, "another territory's band is missing");
  t.equal((await as((await tokenFor(db.db, 'pharmacist', ['terr-a'])).token).patch(`/v1/admin/bands/${bandId}`, { localEnd: '10:00' })).status, 403, 'a pharmacist may not');
  t.equal((await patch('/v1/admin/bands/00000000-0000-4000-8000-000000000000', { localEnd: '10:00' })).status, 404);
  const other = await post('/v1/admin/bands', { professionalId: pro.id, siteId: pro.siteId, daysOfWeek: [1, 2, 3, 4, 5, 6, 7], localStart: '14:00', localEnd: '16:00', slotMinutes: 30, modality: 'office', validFrom: '2026-01-01' });
  t.equal(other.status, 201);
  const overlap = await patch(`/v1/admin/bands/${bandId}`, { localEnd: '15:00' });
  t.equal(overlap.status, 409, 'an edit overlapping another band of the professional is refused');
  t.match(overlap.json, { errors: [{ field: 'body.daysOfWeek' }] });
  t.same((await future()).map((s) => s.id), before.map((s) => s.id), 'refusals change no slot');

  // 08:00–12:00 → 08:00–10:00: the slots from 10:00 go, the booked 11:00 stays booked and is counted; 08:00 and the blocked 09:00 stay as they were.
  const shorter = await patch(`/v1/admin/bands/${bandId}`, { localEnd: '10:00' });
  t.equal(shorter.status, 200);
  t.match(shorter.json, { band: { id: bandId, localStart: '08:00', localEnd: '10:00', slotMinutes: 30 }, slotsCreated: 0, slotsKeptBlocked: 0, bookedSlotsKept: 1, bookingsKept: [bookingId] });
  const afterShort = await future();
  t.equal(shorter.json.slotsRemoved, before.length - afterShort.length, 'slotsRemoved counts the removed slots');
  t.ok(afterShort.every((s) => local(s.starts_at) < '10:00' || s.id === booked.id), 'no open slot from 10:00 on');
  t.match(afterShort.find((s) => s.id === booked.id), { status: 'booked' }, 'the booked slot outside the band stays booked');
  t.equal((await db.db.selectFrom('bookings').select('status').where('id', '=', bookingId).executeTakeFirstOrThrow()).status, 'booked', 'its booking untouched');
  t.match(afterShort.find((s) => s.id === blocked.id), { status: 'blocked' }, 'a blocked slot the band still has stays blocked');
  t.match(afterShort.find((s) => s.id === kept.id), { status: 'free' }, 'a free slot the band still has is the same row');

  // Slot length 30 → 20 min and a later start: the open slots are cut again; the booked one is still kept.
  const recut = await patch(`/v1/admin/bands/${bandId}`, { localStart: '08:20', slotMinutes: 20 });
  t.equal(recut.status, 200);
  t.ok(recut.json.slotsCreated > 0 && recut.json.slotsRemoved > 0, `slots cut again (${recut.json.slotsCreated} created, ${recut.json.slotsRemoved} removed)`);
  const afterRecut = await future();
  t.ok(afterRecut.filter((s) => s.id !== booked.id).every((s) => s.ends_at.getTime() - s.starts_at.getTime() === 20 * 60_000 && local(s.starts_at) >= '08:20' && local(s.starts_at) < '10:00'),
    'every open slot is 20 minutes within 08:20–10:00');
  t.ok(afterRecut.some((s) => s.id === booked.id && s.status === 'booked'), 'the booked slot still kept');
  t.equal(recut.json.bookedSlotsKept, 1);

  // A live hold on a slot the edit would remove: nothing changes, the answer says why.
  const heldSlot = afterRecut.find((s) => s.starts_at.getTime() > Date.now() + DAY && local(s.starts_at) === '09:40')!;
  await addHold(db.db, { slotId: heldSlot.id, clientId: coordinator.id });
  const held = await patch(`/v1/admin/bands/${bandId}`, { localEnd: '09:20' });
  t.equal(held.status, 409);
  t.match(held.json, { type: 'urn:problem:snp-match:band-slot-held', heldSlots: [heldSlot.id], errors: [{ field: 'id' }] });
  t.same((await future()).map((s) => s.id), afterRecut.map((s) => s.id), 'nothing changed');
  // Another professional's band is not touched by any of this.
  t.equal((await db.db.selectFrom('audit_log').select('action').where('action', '=', 'band.update').execute()).length, 2, 'each edit audited once');
  t.ok(pro2.id !== pro.id);
});

t.test('a run of the rolling horizon that read a band before its edit does not materialise the old rule', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const band = await db.db.insertInto('oncall_bands').values({ professional_id: pro.id, site_id: pro.siteId, days_of_week: [1, 2, 3, 4, 5, 6, 7], local_start: '08:00', local_end: '12:00', slot_minutes: 30, modality: 'office', valid_from: '2026-01-01', valid_until: null })
    .returning('id').executeTakeFirstOrThrow();
  const from = new Date();
  const until = new Date(from.getTime() + 3 * DAY);
  const { materialiseSlots } = await import('../src/db/materialise-slots.js');
  let pending: Promise<{ inserted: number }> | undefined;
  // The edit holds the band (FOR UPDATE, as PATCH does) while a run reads the old rule and tries to insert its slots.
  await db.db.transaction().execute(async (trx) => {
    await trx.selectFrom('oncall_bands').select('id').where('id', '=', band.id).forUpdate().execute();
    await trx.updateTable('oncall_bands').set({ local_start: '14:00', local_end: '16:00' }).where('id', '=', band.id).execute();
    pending = materialiseSlots(db.db, { from, until, bandIds: [band.id] });
    await new Promise((resolve) => setTimeout(resolve, 500));
  });
  t.equal((await pending!).inserted, 0, 'the run inserted nothing of the old rule once the edit committed');
  t.equal((await db.db.selectFrom('slots').select('id').where('band_id', '=', band.id).execute()).length, 0, 'no slot at the old hours');
  const after = await materialiseSlots(db.db, { from, until, bandIds: [band.id] });
  t.ok(after.inserted >= 8, `the next run cuts the edited rule (${after.inserted} slots)`);
  const starts = await db.db.selectFrom('slots').select('starts_at').where('band_id', '=', band.id).execute();
  t.ok(starts.every((s) => local(s.starts_at) >= '14:00' && local(s.starts_at) < '16:00'), 'all within 14:00–16:00');
  // Cancelled while a run cuts it: nothing either.
  await db.db.deleteFrom('slots').where('band_id', '=', band.id).execute();
  await db.db.transaction().execute(async (trx) => {
    await trx.updateTable('oncall_bands').set({ active: false }).where('id', '=', band.id).execute();
    pending = materialiseSlots(db.db, { from, until, bandIds: [band.id] });
    await new Promise((resolve) => setTimeout(resolve, 500));
  });
  t.equal((await pending!).inserted, 0, 'a band cancelled meanwhile is not materialised');
});
