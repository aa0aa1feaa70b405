// POST /v1/triage and POST /v1/requests over real HTTP on a real PostgreSQL:
// rules of the patient's territory, bad input naming the field, requests
// recorded with their outcome, book requests matched with the triage's
// professions, skills and modalities within its delay.
import t from 'tap';
import { parseRuleSet } from '../src/core/triage/index.js';
import { createRequestSchema } from '../src/usecases/requests.js';
import { EXAMPLE_RULE_SET } from '../src/usecases/rule-set-views.js';
import { triageRequestSchema } from '../src/usecases/triage.js';
import { migratedDatabase } from './helpers/database.js';
import { addProfessional, addSlots, COMMUNES, soon, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

const MINUTE = 60_000;
const OUTSIDE = '75056'; // Paris: in no territory of the test world
const cystitis = { patient: { age: 30, sex: 'female' }, complaint: 'urinary-burning', redFlags: [] };

t.test('POST /v1/triage', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url);
  const regulator = (await tokenFor(db.db, 'regulator', ['terr-a'])).token;
  const pharmacist = (await tokenFor(db.db, 'pharmacist', ['terr-a'])).token;
  const both = (await tokenFor(db.db, 'regulator', ['terr-a', 'terr-b'])).token;
  const regB = (await tokenFor(db.db, 'regulator', ['terr-b'])).token;
  const professional = (await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps)).token;
  const triage = (token: string, body: unknown) => http(service, 'POST', '/v1/triage', { token, body });

  const protocol = await triage(pharmacist, { ...cystitis, commune: COMMUNES.venissieux.code });
  t.equal(protocol.status, 200);
  t.same(protocol.json, {
    orientation: 'pharmacy-protocol', maxDelayMinutes: null, professions: ['pharmacist'], skills: [], modalities: ['office'],
    rule: { id: 'cystitis-pharmacy-protocol', version: 1 }, reason: protocol.json.reason, territory: 'terr-a',
  }, 'the national default decides for a territory without its own set');
  t.ok(protocol.json.reason.length > 10, 'with a reason');

  const vital = await triage(regulator, { ...cystitis, redFlags: ['chest-pain'], commune: COMMUNES.saintFons.code });
  t.match(vital.json, { orientation: 'call-15', maxDelayMinutes: 0, professions: [], rule: { id: 'call15-life-threatening-flag' } });
  const boundary = await triage(regulator, { ...cystitis, patient: { age: 66, sex: 'female' } });
  t.match(boundary.json, { orientation: 'book', professions: ['gp'], territory: 'terr-a' }, 'no commune: the client\'s only territory; 66 is past the protocol');

  const outside = await triage(regulator, { ...cystitis, commune: OUTSIDE });
  t.equal(outside.status, 200, 'a commune outside every territory is still triaged');
  t.match(outside.json, { orientation: 'pharmacy-protocol', territory: null });

  const bad = async (body: unknown, field: string, message: string, token = regulator) => {
    const answer = await triage(token, body);
    t.equal(answer.status, 400, message);
    t.match(answer.headers.get('content-type'), /application\/problem\+json/);
    t.equal(answer.json.errors?.[0]?.field, field, `${message}: names ${field}`);
  };
  await bad({ ...cystitis, complaint: 'toothache' }, 'body.complaint', 'an unknown complaint');
  await bad({ ...cystitis, redFlags: ['fever-over-38', 'green-skin'] }, 'body.redFlags.1', 'an unknown red flag');
  await bad({ ...cystitis, patient: { age: 40, sex: 'male', pregnant: true } }, 'body.patient.pregnant', 'a pregnant male patient');
  await bad({ ...cystitis, patient: { sex: 'female' } }, 'body.patient.age', 'a missing age');
  await bad({ ...cystitis, patient: { age: 131, sex: 'female' } }, 'body.patient.age', 'an impossible age');
  // The shared error handler names the object holding an unknown key, and the key in the message.
  await bad({ ...cystitis, colour: 'blue' }, 'body.colour', 'an unknown field');
  await bad({ ...cystitis, commune: COMMUNES.venissieux.code, territory: 'terr-b' }, 'body.territory', 'a territory that is not the commune\'s');
  await bad({ ...cystitis, commune: '6925' }, 'body.commune', 'a malformed commune');
  await bad(cystitis, 'body.commune', 'a client of several territories must say where', both);

  t.equal((await triage(regB, { ...cystitis, commune: COMMUNES.venissieux.code })).status, 403, 'another territory\'s commune');
  t.equal((await triage(regB, { ...cystitis, territory: 'terr-a' })).status, 403, 'another territory');
  t.equal((await triage(professional, cystitis)).status, 403, 'a professional does not triage');
  t.equal((await http(service, 'POST', '/v1/triage', { body: cystitis })).status, 401);
  t.equal((await triage(both, { ...cystitis, territory: 'terr-b' })).json.territory, 'terr-b');
});

t.test('POST /v1/requests: call-15 and pharmacy-protocol are recorded, with no candidates and a reason', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  for (const pro of w.a.pros) await addSlots(db.db, pro, { start: soon(30), count: 4 });
  const service = await startTestService(t, db.url);
  await service.sync.catchUp();
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);

  const vital = await http(service, 'POST', '/v1/requests', {
    token: regulator.token, body: { patient: { age: 58, sex: 'male' }, complaint: 'back-pain', redFlags: ['chest-pain'], commune: COMMUNES.venissieux.code },
  });
  t.equal(vital.status, 200);
  t.equal(vital.json.outcome, 'call-15');
  t.same(vital.json.candidates, [], 'no candidates for a call-15');
  t.equal(vital.json.reason, vital.json.triage.reason, 'says why');
  t.match(vital.json.triage, { orientation: 'call-15', maxDelayMinutes: 0, rule: { id: 'call15-life-threatening-flag', version: 1 } });
  // Committed before the answer: another connection sees it at once.
  const row = await db.db.selectFrom('requests').selectAll().where('id', '=', vital.json.request.id).executeTakeFirstOrThrow();
  t.match(row, {
    territory_id: 'terr-a', client_id: regulator.id, origin: 'regulator', commune_code: COMMUNES.venissieux.code,
    complaint: 'back-pain', red_flags: ['chest-pain'], orientation: 'call-15', max_delay_minutes: 0, outcome: 'call-15', candidates_count: 0,
  });
  t.same(row.patient, { age: 58, sex: 'male' }, 'only what the triage used');
  t.match(row.triage, { orientation: 'call-15', rule: { id: 'call15-life-threatening-flag', version: 1 } });

  const protocol = await http(service, 'POST', '/v1/requests', { token: pharmacist.token, body: { ...cystitis, commune: COMMUNES.saintFons.code } });
  t.match(protocol.json, { outcome: 'pharmacy-protocol', candidates: [], triage: { orientation: 'pharmacy-protocol' } });
  t.ok(protocol.json.reason.length > 0);
  const pharmacyRow = await db.db.selectFrom('requests').selectAll().where('id', '=', protocol.json.request.id).executeTakeFirstOrThrow();
  t.match(pharmacyRow, { origin: 'pharmacist', outcome: 'pharmacy-protocol', max_delay_minutes: null });

  const invalid = await http(service, 'POST', '/v1/requests', { token: regulator.token, body: { ...cystitis, complaint: 'toothache', commune: COMMUNES.venissieux.code } });
  t.equal(invalid.status, 400);
  t.equal(invalid.json.errors[0].field, 'body.complaint');
  const missing = await http(service, 'POST', '/v1/requests', { token: regulator.token, body: cystitis });
  t.equal(missing.json.errors[0].field, 'body.commune', 'a request says where the patient is');
  t.equal((await db.db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n, 2, 'refused requests are not recorded');
});

t.test('POST /v1/requests: a book orientation is matched with the triage\'s professions, skills and modalities within its delay', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 0 });
  const at = COMMUNES.venissieux;
  const physio = await addProfessional(db.db, { territoryId: 'terr-a', commune: at, profession: 'physio', modalities: ['office', 'video'] });
  const gp = await addProfessional(db.db, { territoryId: 'terr-a', commune: COMMUNES.saintFons, profession: 'gp', modalities: ['office', 'home'] });
  const nurse = await addProfessional(db.db, { territoryId: 'terr-a', commune: at, profession: 'nurse', skills: ['sutures'] });
  const base = soon(30);
  const [physioVideo] = await addSlots(db.db, physio, { start: base, count: 1, modality: 'video' }); // modality the triage excludes
  const [physioOffice] = await addSlots(db.db, physio, { start: base + 60 * MINUTE, count: 1 });
  const [gpHome] = await addSlots(db.db, gp, { start: base + 90 * MINUTE, count: 1, modality: 'home' });
  const [gpLate] = await addSlots(db.db, gp, { start: base + 26 * 60 * MINUTE, count: 1 }); // beyond the 24 h of back pain
  const [nurseSoon] = await addSlots(db.db, nurse, { start: base + 10 * MINUTE, count: 1 }); // not a back-pain profession
  const service = await startTestService(t, db.url);
  await service.sync.catchUp();
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const request = (body: Record<string, unknown>) => http(service, 'POST', '/v1/requests', {
    token: regulator.token, body: { patient: { age: 45, sex: 'male' }, complaint: 'back-pain', commune: at.code, limit: 10, ...body },
  });

  const answer = await request({});
  t.equal(answer.status, 200);
  t.match(answer.json.triage, { orientation: 'book', maxDelayMinutes: 1440, professions: ['gp', 'physio'], modalities: ['office', 'home'], rule: { id: 'back-pain', version: 1 } });
  t.equal(answer.json.outcome, 'candidates');
  t.same(answer.json.candidates.map((c: { slot: { id: string } }) => c.slot.id), [physioOffice, gpHome], 'earliest first across the triage\'s professions');
  const until = Date.now() + 1440 * MINUTE;
  for (const c of answer.json.candidates) {
    t.ok(['gp', 'physio'].includes(c.professional.profession), 'a profession of the triage');
    t.ok(Date.parse(c.slot.start) <= until, 'within the triage\'s delay');
  }
  t.ok(Date.parse(answer.json.searched.until) <= until + MINUTE, 'the search ends at the delay');
  t.notOk(answer.json.candidates.some((c: { slot: { id: string } }) => [physioVideo, gpLate, nurseSoon].includes(c.slot.id)));
  const row = await db.db.selectFrom('requests').selectAll().where('id', '=', answer.json.request.id).executeTakeFirstOrThrow();
  t.match(row, { outcome: 'candidates', candidates_count: 2, orientation: 'book', max_delay_minutes: 1440 });

  t.same((await request({ professions: ['gp'] })).json.candidates.map((c: { slot: { id: string } }) => c.slot.id), [gpHome], 'the caller may narrow the professions');
  t.same((await request({ horizonHours: 1.8 })).json.candidates.map((c: { slot: { id: string } }) => c.slot.id), [physioOffice], 'and shorten the horizon');
  const widened = await request({ professions: ['nurse'] });
  t.match(widened.json, { outcome: 'no-eligible-profession', candidates: [] }, 'but not widen them');
  t.ok(widened.json.reason.includes('gp, physio'));
  t.match((await request({ modalities: ['video'] })).json, { outcome: 'no-eligible-modality', candidates: [] });

  // A wound needs the sutures skill: the nurse has it, the GP does not.
  const wound = await request({ complaint: 'wound' });
  t.match(wound.json.triage, { professions: ['gp', 'nurse'], skills: ['sutures'], maxDelayMinutes: 360 });
  t.same(wound.json.candidates.map((c: { slot: { id: string } }) => c.slot.id), [nurseSoon]);

  const hold = await http(service, 'POST', '/v1/holds', { token: regulator.token, body: { slotId: physioOffice, requestId: answer.json.request.id } });
  t.equal(hold.status, 201, 'the request id serves a hold');

  const noSlot = await request({ complaint: 'ear-pain', patient: { age: 40, sex: 'female' }, professions: ['gp'], modalities: ['office'], horizonHours: 1 });
  t.match(noSlot.json, { outcome: 'no-slot', candidates: [] });
  t.ok(noSlot.json.reason.length > 0);

  const outside = await request({ commune: OUTSIDE });
  t.match(outside.json, { outcome: 'out-of-territory', candidates: [], triage: { orientation: 'book', territory: null } });
  const outsideRow = await db.db.selectFrom('requests').selectAll().where('id', '=', outside.json.request.id).executeTakeFirstOrThrow();
  t.match(outsideRow, { territory_id: null, commune_code: OUTSIDE, outcome: 'out-of-territory' });

  const regB = (await tokenFor(db.db, 'regulator', ['terr-b'])).token;
  t.equal((await http(service, 'POST', '/v1/requests', { token: regB, body: { patient: { age: 45, sex: 'male' }, complaint: 'back-pain', commune: at.code } })).status, 403);
});

t.test('the OpenAPI document shows the triage routes, and its examples are valid', async (t) => {
  const db = await migratedDatabase(t);
  const service = await startTestService(t, db.url);
  const docs = (await http(service, 'GET', '/docs/json')).json;
  for (const path of ['/v1/triage', '/v1/requests', '/v1/territories/{id}/rule-set', '/v1/territories/{id}/rule-set/versions', '/v1/territories/{id}/rule-set/validate', '/v1/territories/{id}/rule-set/rollback']) {
    t.ok(docs.paths[path], `${path} is documented`);
  }
  t.ok(JSON.stringify(docs.paths['/v1/triage'].post.requestBody).includes('urinary-burning'), 'with an example body');
  t.ok(parseRuleSet(EXAMPLE_RULE_SET).ok, 'the example rule set is valid');
  t.ok(triageRequestSchema.safeParse(triageRequestSchema.meta()?.example).success, 'the triage example body is valid');
  t.ok(createRequestSchema.safeParse(createRequestSchema.meta()?.example).success, 'the request example body is valid');
});
