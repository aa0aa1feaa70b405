// A territory's triage rule set over real HTTP on a real PostgreSQL: read,
// dry run, replace (an invalid set is refused with its JSON paths and the
// previous version stays in force), seen by a second instance within a
// second, rollback as a new version, audit, and who may do what.
import t from 'tap';
import { EXAMPLE_RULE_SET } from '../src/usecases/rule-set-views.js';
import { migratedDatabase } from './helpers/database.js';
import { COMMUNES, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

const toothPain = { patient: { age: 30, sex: 'female' }, complaint: 'tooth-pain', redFlags: [], commune: COMMUNES.venissieux.code };
const cystitis = { ...toothPain, complaint: 'urinary-burning' };
/** The example with one impossible age range in its second rule. */
const broken = structuredClone(EXAMPLE_RULE_SET) as { rules: { when: Record<string, unknown> }[] };
broken.rules[1]!.when.ageMin = 70;
broken.rules[1]!.when.ageMax = 65;

t.test('read, dry run, replace, rollback; audited', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url);
  const coordinator = await tokenFor(db.db, 'coordinator', ['terr-a']);
  const regulator = (await tokenFor(db.db, 'regulator', ['terr-a'])).token;
  const as = (token: string) => ({
    get: (path: string) => http(service, 'GET', `/v1/territories/terr-a/rule-set${path}`, { token }),
    post: (path: string, body: unknown) => http(service, 'POST', `/v1/territories/terr-a/rule-set${path}`, { token, body }),
    put: (body: unknown) => http(service, 'PUT', '/v1/territories/terr-a/rule-set', { token, body }),
  });
  const coord = as(coordinator.token);
  const triage = async (body: unknown) => (await http(service, 'POST', '/v1/triage', { token: regulator, body })).json;

  const initial = await coord.get('');
  t.equal(initial.status, 200);
  t.match(initial.json, { territory: 'terr-a', version: 1, source: 'national-default', createdAt: null, rules: 37 });
  t.ok(initial.json.document.rules.length === 37 && initial.json.vocabulary.complaints.includes('urinary-burning'));

  const dryBad = await coord.post('/validate', { document: broken });
  t.equal(dryBad.status, 200);
  t.match(dryBad.json, { ok: false, errors: [{ field: 'body.document.rules.1.when.ageMin', path: '$.rules[1].when.ageMin', message: /ageMin 70 is greater than ageMax 65/ }] });
  const dryGood = await coord.post('/validate', { document: EXAMPLE_RULE_SET });
  t.match(dryGood.json, { ok: true, rules: 3 });
  t.ok(dryGood.json.vocabulary.complaints.includes('tooth-pain'));
  t.equal((await db.db.selectFrom('triage_rule_sets').selectAll().execute()).length, 0, 'a dry run stores nothing');

  const refused = await coord.put({ document: broken, note: 'broken' });
  t.equal(refused.status, 400, 'an invalid set is refused');
  t.match(refused.headers.get('content-type'), /application\/problem\+json/);
  t.match(refused.json, { type: 'urn:problem:snp-match:invalid-rule-set', errors: [{ field: 'body.document.rules.1.when.ageMin', path: '$.rules[1].when.ageMin' }] });
  t.equal((await coord.get('')).json.version, 1, 'nothing stored: the national default stays in force');
  t.equal((await triage(toothPain)).errors?.[0]?.field, 'body.complaint', 'its codes are not known either');
  const notAnObject = await coord.put({ document: [1, 2] });
  t.equal(notAnObject.status, 400);
  t.equal(notAnObject.json.errors[0].field, 'body.document');

  const replaced = await coord.put({ document: EXAMPLE_RULE_SET, note: 'dentists' });
  t.equal(replaced.status, 200);
  t.match(replaced.json, { territory: 'terr-a', version: 2, source: 'territory', createdBy: coordinator.id, note: 'dentists', rules: 3 });
  t.match(await triage(toothPain), { orientation: 'book', professions: ['dentist'], rule: { id: 'tooth-pain', version: 2 } }, 'in force on this instance at once');
  t.match(await triage(cystitis), { rule: { id: 'catch-all', version: 2 } }, 'the whole set was replaced');

  const refusedAgain = await coord.put({ document: { rules: [{ id: 'only', when: { complaints: ['sore-throat'] }, then: { orientation: 'call-15', reason: 'x' } }] } });
  t.equal(refusedAgain.status, 400);
  t.match(refusedAgain.json.errors[0], { path: '$.rules[0].when', message: /catch-all/ });
  t.match(await triage(toothPain), { rule: { id: 'tooth-pain', version: 2 } }, 'the previous version stays in force');

  const third = structuredClone(EXAMPLE_RULE_SET) as { rules: { then: Record<string, unknown> }[] };
  third.rules[1]!.then.maxDelayMinutes = 720;
  t.equal((await coord.put({ document: third })).json.version, 3);
  t.match(await triage(toothPain), { maxDelayMinutes: 720, rule: { version: 3 } });

  const back = await coord.post('/rollback', { version: 2 });
  t.equal(back.status, 200);
  t.match(back.json, { version: 4, note: 'rollback to version 2' });
  t.same(back.json.document, replaced.json.document, 'version 4 is a copy of version 2');
  t.match(await triage(toothPain), { maxDelayMinutes: 1440, rule: { version: 4 } });

  const national = await coord.post('/rollback', { version: 1, note: 'back to the national rules' });
  t.match(national.json, { version: 5, source: 'territory', rules: 37 });
  t.match(await triage(cystitis), { orientation: 'pharmacy-protocol', rule: { id: 'cystitis-pharmacy-protocol', version: 5 } });
  t.equal((await coord.post('/rollback', { version: 5 })).status, 409, 'the version in force');
  const unknown = await coord.post('/rollback', { version: 99 });
  t.equal(unknown.status, 404);
  t.equal(unknown.json.errors[0].field, 'body.version');
  t.equal((await coord.post('/rollback', { version: 0 })).json.errors[0].field, 'body.version');

  const history = await coord.get('/versions');
  t.equal(history.status, 200);
  t.equal(history.json.inForce, 5);
  t.same(history.json.versions.map((v: { version: number; source: string }) => `${v.version}:${v.source}`),
    ['5:territory', '4:territory', '3:territory', '2:territory', '1:national-default'], 'the whole history is kept');

  const audit = await db.db.selectFrom('audit_log').selectAll().where('entity', '=', 'rule-set').orderBy('id').execute();
  t.same(audit.map((a) => `${a.action} ${a.entity_id} v${(a.details as { version: number }).version}`),
    ['rule-set.replace terr-a v2', 'rule-set.replace terr-a v3', 'rule-set.rollback terr-a v4', 'rule-set.rollback terr-a v5']);
  t.ok(audit.every((a) => a.client_id === coordinator.id && a.request_id !== null), 'who, and the request id');
  t.match(audit[2]!.details, { restoredVersion: 2, previousVersion: 3 });

  t.equal((await http(service, 'GET', '/v1/territories/terr-b/rule-set', { token: regulator })).status, 403);
});

t.test('who may do what', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url);
  const token = async (role: 'coordinator' | 'regulator' | 'pharmacist', territory = 'terr-a') => (await tokenFor(db.db, role, [territory])).token;
  const tokens = {
    coordinator: await token('coordinator'),
    regulator: await token('regulator'),
    pharmacist: await token('pharmacist'),
    professional: (await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps)).token,
    coordinatorB: await token('coordinator', 'terr-b'),
  };
  const base = '/v1/territories/terr-a/rule-set';
  const calls: [string, string, unknown][] = [
    ['GET', base, undefined],
    ['GET', `${base}/versions`, undefined],
    ['POST', `${base}/validate`, { document: EXAMPLE_RULE_SET }],
    ['PUT', base, { document: EXAMPLE_RULE_SET }],
    ['POST', `${base}/rollback`, { version: 1 }],
  ];
  const expected: Record<keyof typeof tokens, number[]> = {
    regulator: [200, 200, 403, 403, 403],
    pharmacist: [200, 200, 403, 403, 403],
    professional: [403, 403, 403, 403, 403],
    coordinatorB: [403, 403, 403, 403, 403],
    coordinator: [200, 200, 200, 200, 200],
  };
  for (const [who, statuses] of Object.entries(expected) as [keyof typeof tokens, number[]][]) {
    for (const [i, [method, path, body]] of calls.entries()) {
      const answer = await http(service, method, path, { token: tokens[who], ...(body !== undefined ? { body } : {}) });
      t.equal(answer.status, statuses[i], `${who} ${method} ${path}`);
    }
  }
  t.equal((await http(service, 'GET', base)).status, 401);
  t.equal((await http(service, 'GET', '/v1/territories/Not_A_Territory/rule-set', { token: tokens.coordinator })).json.errors[0].field, 'params.id');
  const versions = await db.db.selectFrom('triage_rule_sets').select('version').orderBy('version').execute();
  t.same(versions.map((v) => v.version), [2, 3], 'only the coordinator\'s replace and rollback were stored');
});

t.test('a replaced set is in force on a second instance within a second', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const [a, b] = [await startTestService(t, db.url), await startTestService(t, db.url)];
  const coordinator = (await tokenFor(db.db, 'coordinator', ['terr-a'])).token;
  const regulator = (await tokenFor(db.db, 'regulator', ['terr-a'])).token;
  const versionOn = async (service: { url: string }) => (await http(service, 'POST', '/v1/triage', { token: regulator, body: cystitis })).json.rule.version as number;
  t.equal(await versionOn(b), 1);

  const seenWithin = async (version: number) => {
    const started = performance.now();
    while (performance.now() - started < 3_000) {
      if (await versionOn(b) === version) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return Infinity;
  };
  for (const expected of [2, 3]) {
    const document = structuredClone(EXAMPLE_RULE_SET);
    document.name = `version ${expected}`;
    const put = await http(a, 'PUT', '/v1/territories/terr-a/rule-set', { token: coordinator, body: { document } });
    t.equal(put.json.version, expected);
    const elapsed = await seenWithin(expected);
    t.ok(elapsed < 1_000, `version ${expected} in force on the second instance after ${elapsed.toFixed(0)} ms`);
  }
  const bad = await http(a, 'PUT', '/v1/territories/terr-a/rule-set', { token: coordinator, body: { document: broken } });
  t.equal(bad.status, 400);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(await versionOn(b), 3, 'a refused set changes nothing anywhere');
  t.equal((await http(b, 'GET', '/readyz')).json.checks['triage-rule-sets'].ready, true);
});

t.test('the registry catches up after losing its connection, and skips a stored set that no longer parses', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url);
  const regulator = (await tokenFor(db.db, 'regulator', ['terr-a'])).token;
  const coordinatorId = (await tokenFor(db.db, 'coordinator', ['terr-a'])).id;
  const versionNow = async () => (await http(service, 'POST', '/v1/triage', { token: regulator, body: cystitis })).json.rule.version as number;
  const waitFor = async (check: () => Promise<boolean>, ms = 5_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) { if (await check()) return true; await new Promise((r) => setTimeout(r, 20)); }
    return false;
  };

  // Written while the LISTEN connection is down: its NOTIFY is lost; the reconnection reload finds it.
  const pid = service.ruleSets.listenerBackendPid;
  t.ok(pid !== null);
  await db.pool.query('select pg_terminate_backend($1)', [pid]);
  await db.db.insertInto('triage_rule_sets').values({ territory_id: 'terr-a', version: 2, document: JSON.stringify(EXAMPLE_RULE_SET), created_by: coordinatorId, note: null }).execute();
  t.ok(await waitFor(async () => (await versionNow()) === 2), 'version 2 in force after the reconnection');
  t.ok(await waitFor(async () => service.ruleSets.status().listenerConnected), 'listening again');

  // A document stored behind the API's back that does not parse: the previous version stays.
  await db.db.insertInto('triage_rule_sets').values({ territory_id: 'terr-a', version: 3, document: JSON.stringify(broken), created_by: null, note: 'by hand' }).execute();
  await service.ruleSets.reload();
  t.equal(await versionNow(), 2, 'the invalid version 3 is skipped');
  t.equal((await http(service, 'GET', '/readyz')).status, 200);
});
