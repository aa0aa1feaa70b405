// GET /v1/territories/:id/communes over real HTTP: the communes a counter picks
// the patient's from, with their INSEE postal codes, sorted by name; scoped to
// the client's territories and to the roles that triage.
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addTerritory, COMMUNES, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

t.test('GET /v1/territories/:id/communes', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  // A hand-made commune code the INSEE data does not know: listed, without postal codes.
  await addTerritory(db.db, { id: 'terr-c', communes: [{ code: '99999', name: 'Commune fictive', lat: 45, lon: 4 }] });
  const service = await startTestService(t, db.url);
  const pharmacist = (await tokenFor(db.db, 'pharmacist', ['terr-a'])).token;
  const list = (token: string, territory: string) => http(service, 'GET', `/v1/territories/${territory}/communes`, { token });

  const answer = await list(pharmacist, 'terr-a');
  t.equal(answer.status, 200);
  t.same(answer.json, {
    territory: 'terr-a',
    communes: [
      { code: COMMUNES.saintFons.code, name: 'Saint-Fons', postalCodes: ['69190'], lat: COMMUNES.saintFons.lat, lon: COMMUNES.saintFons.lon },
      { code: COMMUNES.venissieux.code, name: 'Vénissieux', postalCodes: ['69200'], lat: COMMUNES.venissieux.lat, lon: COMMUNES.venissieux.lon },
    ],
  }, 'its communes, by name, with their postal codes');

  const c = (await tokenFor(db.db, 'regulator', ['terr-c'])).token;
  t.same((await list(c, 'terr-c')).json, { territory: 'terr-c', communes: [{ code: '99999', name: 'Commune fictive', postalCodes: [], lat: 45, lon: 4 }] }, 'a commune the INSEE data lacks has no postal code');

  t.equal((await list(pharmacist, 'terr-b')).status, 403, 'another territory is refused');
  const professional = (await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps)).token;
  t.equal((await list(professional, 'terr-a')).status, 403, 'a professional does not triage');
  t.equal((await list(pharmacist, 'Not_A_Territory')).status, 400, 'a malformed id is a 400');
});
