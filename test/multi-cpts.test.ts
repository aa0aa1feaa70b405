// Professionals in several CPTS (issue 14), end to end on a real service and
// PostgreSQL: a coordinator makes a professional of terr-a a member of terr-b
// (audited); its slots are then offered in both, a booking belongs to the
// territory it was made in (and counts in that territory's indicators), the
// FHIR Slot names both CPTS; leaving terr-b withdraws them there only; the home
// territory cannot be left.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, nextRpps, soon, tokenFor, world } from './helpers/fixtures.js';
import { PATIENT } from './helpers/patients.js';
import { http, matchIds, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

const IDNPS = 'urn:oid:1.2.250.1.71.4.2.1';

/** Polls until `check` holds (the index learns of a membership through the sync: milliseconds, at most a backstop pass). */
async function eventually(check: () => Promise<boolean>, ms = 8_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

t.test('a professional of terr-a who joins terr-b: offered, booked and counted in both, until it leaves', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  await sql`update territories set organisation_identifier = case id when 'terr-a' then '1690000010' else '1170000012' end`.execute(db.db);
  const pro = w.a.pros[0]!;
  const slots = await addSlots(db.db, pro, { start: soon(60), count: 4 });
  const service = await startTestService(t, db.url);
  const [regA, regB, coordA, coordB] = await Promise.all([
    tokenFor(db.db, 'regulator', ['terr-a']), tokenFor(db.db, 'regulator', ['terr-b']),
    tokenFor(db.db, 'coordinator', ['terr-a']), tokenFor(db.db, 'coordinator', ['terr-b']),
  ]);
  const inB = () => matchIds(service, regB.token, { territory: 'terr-b' });
  t.same((await inB()).filter((id) => slots.includes(id)), [], 'before: none of its slots in terr-b');

  const members = `/v1/admin/territories/terr-b/members`;
  const added = await http(service, 'POST', members, { token: coordB.token, body: { rpps: pro.rpps } });
  t.equal(added.status, 201, 'a coordinator of terr-b adds it: 201');
  t.same(added.json.membership, {
    territory: 'terr-b', professional: { id: pro.id, rpps: pro.rpps, familyName: added.json.membership.professional.familyName, givenName: added.json.membership.professional.givenName },
    home: 'terr-a', territories: ['terr-a', 'terr-b'], changed: true,
  });
  const again = await http(service, 'POST', members, { token: coordB.token, body: { rpps: pro.rpps } });
  t.equal(again.status, 200, 'again: 200, idempotent');
  t.equal(again.json.membership.changed, false);
  t.equal((await http(service, 'POST', members, { token: coordA.token, body: { rpps: pro.rpps } })).status, 403, 'a coordinator of terr-a cannot add to terr-b');
  t.equal((await http(service, 'POST', members, { token: coordB.token, body: { rpps: '12345678901' } })).status, 400, 'an RPPS with a bad check digit: 400');
  const unknown = await http(service, 'POST', members, { token: coordB.token, body: { rpps: nextRpps() } });
  t.equal(unknown.status, 404, 'an RPPS nobody has: 404');
  t.same(unknown.json.errors, [{ field: 'body.rpps', message: 'no such professional' }], 'naming body.rpps');

  t.ok(await eventually(async () => (await inB()).filter((id) => slots.includes(id)).length === 4),
    'its four slots are offered in terr-b');
  t.same((await matchIds(service, regA.token)).filter((id) => slots.includes(id)), slots, 'and still in terr-a');
  const listed = await http(service, 'GET', '/v1/admin/professionals?territory=terr-b', { token: coordB.token });
  t.same(listed.json.professionals.find((p: any) => p.id === pro.id)?.territories, ['terr-a', 'terr-b'], 'terr-b lists it among its professionals, with both territories');
  t.equal(listed.json.professionals.find((p: any) => p.id === pro.id)?.territory, 'terr-a', 'its home stays terr-a');

  // The FHIR Slot names both CPTS, and the search includes both HealthcareServices and Organizations.
  const fhirSlot = await http(service, 'GET', `/fhir/Slot/${slots[0]}`, { token: regB.token });
  t.equal(fhirSlot.status, 200, 'a SAS client of terr-b reads the Slot');
  t.same(fhirSlot.json.serviceType.filter((s: any) => s.coding?.[0]?.code === '604').map((s: any) => s.extension[0].valueReference.reference),
    ['HealthcareService/terr-a', 'HealthcareService/terr-b'], 'one 604 reference per CPTS, its own first');

  // Bookings belong to the territory they were made in.
  const book = async (token: string, slotId: string) => http(service, 'POST', '/v1/bookings', { token, headers: { 'idempotency-key': randomUUID() }, body: { slotId, patient: PATIENT } });
  const byB = await book(regB.token, slots[0]!);
  t.equal(byB.status, 201, 'a regulator of terr-b books it');
  const byA = await book(regA.token, slots[1]!);
  t.equal(byA.status, 201, 'a regulator of terr-a books another');
  t.equal((await http(service, 'GET', `/v1/bookings/${byB.json.booking.id}`, { token: regB.token })).json.booking.territory, 'terr-b', 'the terr-b booking belongs to terr-b');
  t.equal((await http(service, 'GET', `/v1/bookings/${byA.json.booking.id}`, { token: regA.token })).json.booking.territory, 'terr-a', 'the terr-a one to terr-a');
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const indicators = async (token: string, territory: string) =>
    (await http(service, 'GET', `/v1/indicators?territory=${territory}&period=custom&from=${today}&to=${later}`, { token })).json.appointments.total;
  t.equal(await indicators(coordB.token, 'terr-b'), 1, 'terr-b\'s indicators count its booking');
  t.equal(await indicators(coordA.token, 'terr-a'), 1, 'terr-a\'s its own');

  // Leaving terr-b.
  const home = await http(service, 'DELETE', `/v1/admin/territories/terr-a/members/${pro.rpps}`, { token: coordA.token });
  t.equal(home.status, 409, 'the home territory cannot be left: 409');
  t.equal(home.json.type.endsWith('home-territory'), true);
  const left = await http(service, 'DELETE', `${members}/${pro.rpps}`, { token: coordB.token });
  t.equal(left.status, 200, 'a coordinator of terr-b removes it: 200');
  t.same(left.json.membership.territories, ['terr-a']);
  const notMember = await http(service, 'DELETE', `${members}/${pro.rpps}`, { token: coordB.token });
  t.equal(notMember.status, 404, 'not a member any more: 404');
  t.same(notMember.json.errors, [{ field: 'params.rpps', message: 'no such member in your territories' }], 'naming the path\'s rpps');
  t.ok(await eventually(async () => (await inB()).filter((id) => slots.includes(id)).length === 0), 'its slots leave terr-b');
  t.same((await matchIds(service, regA.token)).filter((id) => slots.includes(id)), slots.slice(2), 'its free slots stay in terr-a');
  t.equal((await book(regB.token, slots[2]!)).status, 404, 'terr-b can no longer book them: 404 as if absent');
  t.equal((await http(service, 'GET', `/fhir/Slot/${slots[2]}`, { token: regB.token })).status, 404, 'nor read them over FHIR');
  const window = `start=ge${new Date().toISOString()}&start=le${new Date(Date.now() + 86_400_000).toISOString()}`;
  const search = (token: string) => http(service, 'GET', `/fhir/Slot?${window}&schedule.actor:Practitioner.identifier=${IDNPS}|8${pro.rpps}&status=free`, { token });
  const fromB = await search(regB.token);
  t.equal(fromB.status, 200);
  t.equal(fromB.json.total, 0, 'nor find them in the SAS search');
  t.equal((await search(regA.token)).json.total, 2, 'terr-a still finds its two free ones');

  const audit = await db.db.selectFrom('audit_log').select(['action', 'client_id', 'entity_id', 'details'])
    .where('action', 'like', 'membership.%').orderBy('id').execute();
  t.same(audit.map((a) => [a.action, a.client_id, a.entity_id, (a.details as any).territory]),
    [['membership.add', coordB.id, pro.id, 'terr-b'], ['membership.remove', coordB.id, pro.id, 'terr-b']], 'each change audited once, with who and what');
});

t.test('a client of both territories: the booking goes to the request\'s territory, else the slot\'s own; holds cross territories too', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  await db.db.insertInto('professional_territories').values({ professional_id: pro.id, territory_id: 'terr-b' }).execute();
  const slots = await addSlots(db.db, pro, { start: soon(60), count: 3 });
  const service = await startTestService(t, db.url);
  const national = await tokenFor(db.db, 'regulator', ['terr-a', 'terr-b']);
  const regB = await tokenFor(db.db, 'regulator', ['terr-b']);
  const book = (token: string, body: Record<string, unknown>) =>
    http(service, 'POST', '/v1/bookings', { token, headers: { 'idempotency-key': randomUUID() }, body: { patient: PATIENT, ...body } });
  const territoryOf = async (answer: { json: any }, token = national.token) => (await http(service, 'GET', `/v1/bookings/${answer.json.booking.id}`, { token })).json.booking.territory;

  // A back-pain request from Royan (terr-b): a GP within the day; the slot of terr-a's member of terr-b is a candidate.
  const request = await http(service, 'POST', '/v1/requests', { token: national.token,
    body: { patient: { age: 45, sex: 'male' }, complaint: 'back-pain', commune: '17306', limit: 10 } });
  t.equal(request.status, 200);
  t.equal(request.json.triage.territory, 'terr-b', 'the request is of terr-b');
  t.ok(request.json.candidates.some((c: any) => c.slot.id === slots[0]), 'terr-b\'s answer offers the member\'s slot');
  const forRequest = await book(national.token, { slotId: slots[0], requestId: request.json.request.id });
  t.equal(forRequest.status, 201);
  t.equal(await territoryOf(forRequest), 'terr-b', 'booked for a terr-b request: the booking is terr-b\'s, though the slot is organised by terr-a');
  const plain = await book(national.token, { slotId: slots[1] });
  t.equal(await territoryOf(plain), 'terr-a', 'without a request: the slot\'s own territory, the client being scoped to it');

  const hold = await http(service, 'POST', '/v1/holds', { token: regB.token, body: { slotId: slots[2] } });
  t.equal(hold.status, 201, 'a regulator of terr-b holds a slot organised by terr-a');
  const held = await book(regB.token, { holdId: hold.json.hold.id });
  t.equal(held.status, 201, 'and books it through its hold');
  t.equal(await territoryOf(held, regB.token), 'terr-b', 'a terr-b booking');
});

t.test('availability: a pharmacist counter of terr-b is told when the member\'s slot is taken and freed', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  await db.db.insertInto('professional_territories').values({ professional_id: pro.id, territory_id: 'terr-b' }).execute();
  const [slot] = await addSlots(db.db, pro, { start: soon(60), count: 1 });
  const service = await startTestService(t, db.url);
  await service.sync.catchUp();
  const pharmacistB = await tokenFor(db.db, 'pharmacist', ['terr-b']);
  const regA = await tokenFor(db.db, 'regulator', ['terr-a']);
  const socket = await TestSocket.open(service.url, '/v1/ws/counter', pharmacistB.token);
  t.teardown(() => socket.close());
  const booking = await http(service, 'POST', '/v1/bookings', { token: regA.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: slot, patient: PATIENT } });
  t.equal(booking.status, 201, 'booked in terr-a');
  const taken = await socket.waitFor((m) => m.type === 'availability' && m.changes.some((c: { slotId: string }) => c.slotId === slot));
  t.same(taken.changes.find((c: { slotId: string }) => c.slotId === slot), { slotId: slot, territory: 'terr-b', available: false }, 'terr-b\'s counter hears it is taken, as a terr-b slot');
  await http(service, 'POST', `/v1/bookings/${booking.json.booking.id}/cancel`, { token: regA.token, body: {} });
  const freed = await socket.waitFor((m) => m.type === 'availability' && m.changes.some((c: { slotId: string; available: boolean }) => c.slotId === slot && c.available));
  t.same(freed.changes.find((c: { slotId: string }) => c.slotId === slot), { slotId: slot, territory: 'terr-b', available: true }, 'and that it is free again');
});

t.test('the home membership is kept by the database: made with the professional, refused when dropped', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const rows = await db.db.selectFrom('professional_territories').select('territory_id').where('professional_id', '=', pro.id).execute();
  t.same(rows.map((r) => r.territory_id), ['terr-a'], 'a new professional serves its home territory');
  await t.rejects(db.db.deleteFrom('professional_territories').where('professional_id', '=', pro.id).execute(),
    { constraint: 'professionals_home_is_member' } as unknown as Error, 'dropping the home membership is refused');
  await db.db.transaction().execute(async (trx) => {
    await trx.updateTable('professionals').set({ territory_id: 'terr-b' }).where('id', '=', pro.id).execute();
    await trx.deleteFrom('professional_territories').where('professional_id', '=', pro.id).where('territory_id', '=', 'terr-a').execute();
  });
  const moved = await db.db.selectFrom('professional_territories').select('territory_id').where('professional_id', '=', pro.id).execute();
  t.same(moved.map((r) => r.territory_id), ['terr-b'], 'a new home becomes a membership; the old one may then go, in one transaction');
});
