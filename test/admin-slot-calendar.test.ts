// GET /v1/admin/slots: a coordinator reads its territory's slots over a
// period with their professional and state (the coordination page's calendar);
// an expired hold reads free; the period is bounded; other territories are refused.
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addBooking, addHold, addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

t.test('the week of slots for the calendar', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const start = soon(60);
  const [free, booked, blocked, expiredHold, later] = await addSlots(db.db, pro, { start, count: 5 });
  await addSlots(db.db, w.b.pros[0]!, { start, count: 2 });
  const service = await startTestService(t, db.url);
  const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a']);
  await addBooking(db.db, { slotId: booked!, clientId: coordinator.id });
  await db.db.updateTable('slots').set({ status: 'blocked' }).where('id', '=', blocked!).execute();
  await addHold(db.db, { slotId: expiredHold!, clientId: coordinator.id, ttlSeconds: -5 });

  const from = new Date(start).toISOString();
  const answer = await http(service, 'GET', `/v1/admin/slots?territory=terr-a&from=${encodeURIComponent(from)}`, { token: coordinator.token });
  t.equal(answer.status, 200);
  t.same(answer.json.slots.map((s: { id: string; status: string }) => [s.id, s.status]),
    [[free, 'free'], [booked, 'booked'], [blocked, 'blocked'], [expiredHold, 'free'], [later, 'free']], "earliest first, only this territory's, an expired hold free");
  t.match(answer.json.slots[0], { start: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/, modality: 'office', bandId: null,
    professional: { id: pro.id, rpps: pro.rpps, profession: 'gp', name: /\S+ \S+/ } }, 'with its professional, in local time');
  t.equal(answer.json.truncated, false);

  const until = new Date(start + 40 * 60_000).toISOString();
  const bounded = await http(service, 'GET', `/v1/admin/slots?territory=terr-a&from=${encodeURIComponent(from)}&until=${encodeURIComponent(until)}`, { token: coordinator.token });
  t.same(bounded.json.slots.map((s: { id: string }) => s.id), [free, booked], 'until is exclusive of later starts');

  const tooLong = await http(service, 'GET', `/v1/admin/slots?territory=terr-a&from=${encodeURIComponent(from)}&until=${encodeURIComponent(new Date(start + 9 * 86_400_000).toISOString())}`, { token: coordinator.token });
  t.equal(tooLong.status, 400, 'more than 8 days is refused');
  t.match(tooLong.json, { errors: [{ field: 'querystring.until' }] }, 'naming the field');
  const backwards = await http(service, 'GET', `/v1/admin/slots?territory=terr-a&from=${encodeURIComponent(from)}&until=${encodeURIComponent(from)}`, { token: coordinator.token });
  t.equal(backwards.status, 400, 'an empty period is refused');
  const missing = await http(service, 'GET', '/v1/admin/slots?territory=terr-a', { token: coordinator.token });
  t.match(missing.json, { status: 400, errors: [{ field: 'querystring.from' }] }, 'from is required');

  const other = await http(service, 'GET', `/v1/admin/slots?territory=terr-b&from=${encodeURIComponent(from)}`, { token: coordinator.token });
  t.equal(other.status, 403, "another territory's slots are refused");
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  t.equal((await http(service, 'GET', `/v1/admin/slots?territory=terr-a&from=${encodeURIComponent(from)}`, { token: pharmacist.token })).status, 403, 'coordinators only');
});
