// The bands a coordinator lists are those of every territory it serves: without
// `territory`, all of them; with one, the bands of every professional serving it
// (home or member, migration 015), each naming its own territory and where its
// slots are offered. Editing and cancelling stay with the home territory.
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

t.test("bands of all of a coordinator's territories, or of one, members' included", async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const service = await startTestService(t, db.url);
  const both = (await tokenFor(db.db, 'coordinator', ['terr-a', 'terr-b'])).token;
  const onlyA = (await tokenFor(db.db, 'coordinator', ['terr-a'])).token;
  const [proA] = w.a.pros as [typeof w.a.pros[0]];
  const [proB, memberB] = w.b.pros as [typeof w.b.pros[0], typeof w.b.pros[0]];
  const band = (pro: { id: string; siteId: string }) => ({ professionalId: pro.id, siteId: pro.siteId, daysOfWeek: [1, 2, 3, 4, 5, 6, 7], localStart: '08:00', localEnd: '10:00', slotMinutes: 30, modality: 'office', validFrom: '2026-01-01' });
  const make = async (pro: { id: string; siteId: string }) => {
    const made = await http(service, 'POST', '/v1/admin/bands', { token: both, body: band(pro) });
    t.equal(made.status, 201);
    return made.json.band.id as string;
  };
  const [bandA, bandB, bandMember] = [await make(proA), await make(proB), await make(memberB)];
  // memberB, of terr-b, also serves terr-a.
  t.equal((await http(service, 'POST', '/v1/admin/territories/terr-a/members', { token: onlyA, body: { rpps: memberB.rpps } })).status, 201);

  const from = encodeURIComponent(new Date().toISOString());
  const list = async (token: string, territory?: string) => {
    const answer = await http(service, 'GET', `/v1/admin/bands?from=${from}${territory === undefined ? '' : `&territory=${territory}`}`, { token });
    t.equal(answer.status, 200, answer.text);
    return answer.json.bands as { id: string; territory: string; territories: string[] }[];
  };
  const ids = (bands: { id: string }[]) => bands.map((b) => b.id).sort();

  t.same(ids(await list(both)), [bandA, bandB, bandMember].sort(), 'no territory: the bands of every territory the coordinator serves');
  t.same(ids(await list(both, 'terr-b')), [bandB, bandMember].sort(), 'one territory: its bands');
  t.same(ids(await list(onlyA)), [bandA, bandMember].sort(), "a coordinator of terr-a: its professional's band and the member's");
  t.same(ids(await list(onlyA, 'terr-a')), [bandA, bandMember].sort(), 'the same, named');
  const member = (await list(onlyA)).find((b) => b.id === bandMember)!;
  t.match(member, { territory: 'terr-b', territories: ['terr-a', 'terr-b'] }, "a member's band names its own territory and where its slots are offered");
  t.match((await list(onlyA)).find((b) => b.id === bandA), { territory: 'terr-a', territories: ['terr-a'] });
  t.equal((await http(service, 'GET', `/v1/admin/bands?from=${from}&territory=terr-b`, { token: onlyA })).status, 403, 'not a territory it does not serve');
  t.equal((await http(service, 'GET', `/v1/admin/bands?from=${from}&territory=Terr B`, { token: onlyA })).json.errors[0].field, 'querystring.territory');
  // Editing and cancelling stay with the band's own territory.
  t.equal((await http(service, 'PATCH', `/v1/admin/bands/${bandMember}`, { token: onlyA, body: { localEnd: '11:00' } })).status, 404, "a member's band is edited by its home territory");
  t.equal((await http(service, 'DELETE', `/v1/admin/bands/${bandMember}`, { token: onlyA })).status, 404, 'and cancelled there');
});
