// Coordinators manage who may use the counter: people (web app accounts) of
// their territories only; a disabled person's sessions stop at once.
import t from 'tap';
import { createDemoPeopleIfNone } from '../src/auth/demo-people.js';
import { verifyPassword } from '../src/auth/passwords.js';
import { findPersonByLogin } from '../src/db/people.js';
import { migratedDatabase } from './helpers/database.js';
import { tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

t.test('a coordinator adds, lists and disables counter users of its territory, and only there', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url);
  const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a']);
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const person = { login: 'pharmacie.gare', name: 'Pharmacie de la Gare', role: 'pharmacist', territories: ['terr-a'], password: 'une longue phrase de passe' };

  const created = await http(service, 'POST', '/v1/admin/people', { token: coordinator.token, body: person });
  t.equal(created.status, 201, created.text);
  t.match(created.json, { person: { login: 'pharmacie.gare', role: 'pharmacist', territories: ['terr-a'], disabled: false } });
  t.notMatch(created.text, /phrase/, 'the password is never echoed');
  t.match((await findPersonByLogin(db.db, 'pharmacie.gare'))?.passwordHash, /^scrypt\$/, 'stored as a scrypt hash');
  t.equal((await http(service, 'POST', '/v1/admin/people', { token: coordinator.token, body: person })).status, 409, 'a login is registered once');
  t.match((await http(service, 'POST', '/v1/admin/people', { token: coordinator.token, body: { ...person, login: 'x.y', territories: ['terr-b'] } })),
    { status: 403 }, 'not in another territory');
  t.match((await http(service, 'POST', '/v1/admin/people', { token: coordinator.token, body: { ...person, login: 'x.z', role: 'coordinator' } })),
    { status: 400, json: { errors: [{ field: 'body.role' }] } }, 'counter roles only');
  t.equal((await http(service, 'POST', '/v1/admin/people', { token: pharmacist.token, body: { ...person, login: 'x.w' } })).status, 403, 'coordinators only');

  const listed = await http(service, 'GET', '/v1/admin/people?territory=terr-a', { token: coordinator.token });
  t.same(listed.json.people.map((p: { login: string }) => p.login), ['pharmacie.gare']);
  const other = await tokenFor(db.db, 'coordinator', ['terr-b']);
  t.equal((await http(service, 'POST', `/v1/admin/people/${created.json.person.id}/disable`, { token: other.token })).status, 404, "another territory's coordinator cannot");
  t.equal((await http(service, 'POST', `/v1/admin/people/${created.json.person.id}/disable`, { token: coordinator.token })).status, 204);
  t.equal(await findPersonByLogin(db.db, 'pharmacie.gare'), null, 'disabled: no login any more');
  const after = await http(service, 'GET', '/v1/admin/people?territory=terr-a', { token: coordinator.token });
  t.match(after.json.people, [{ login: 'pharmacie.gare', disabled: true }]);
});

t.test('demo accounts: one per role and territory, made once, passwords stored as scrypt hashes', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const accounts = await createDemoPeopleIfNone(db.db);
  t.same(accounts.map((a) => `${a.role} ${a.territory}`).sort(), [
    'coordinator terr-a', 'coordinator terr-b', 'pharmacist terr-a', 'pharmacist terr-b',
    'professional terr-a', 'professional terr-b', 'regulator terr-a', 'regulator terr-b',
  ]);
  const professional = accounts.find((a) => a.role === 'professional' && a.territory === 'terr-a')!;
  t.equal(professional.login, [...w.a.pros].map((p) => p.rpps).sort()[0], "a professional's login is its RPPS");
  const pharmacist = accounts.find((a) => a.role === 'pharmacist' && a.territory === 'terr-a')!;
  t.equal(pharmacist.login, 'pharmacien.terr-a');
  const stored = await findPersonByLogin(db.db, pharmacist.login);
  t.ok(stored?.passwordHash !== null && await verifyPassword(pharmacist.password, stored!.passwordHash!), 'the printed password opens the account');
  t.notOk(await verifyPassword('not it', stored!.passwordHash!), 'another does not');
  t.same(await createDemoPeopleIfNone(db.db), [], 'never twice');
});
