// GET /fhir/Slot, /fhir/Slot/:id, /fhir/Schedule/:id, /fhir/Practitioner and
// /fhir/metadata over real HTTP on a real service and PostgreSQL (issue 7).
import { sql, type Kysely } from 'kysely';
import t, { type Test } from 'tap';
import { rppsFromPrefix } from '../src/core/rpps.js';
import type { Database } from '../src/db/schema.js';
import { formatFhirInstant } from '../src/sas/resources/instant.js';
import { migratedDatabase } from './helpers/database.js';
import { assertReferencesResolve, assertValidFhir } from './helpers/fhir.js';
import { igFile } from './helpers/ig-package.js';
import { addProfessional, addSlots, COMMUNES, soon, tokenFor, world, type ProfessionalFixture } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

const MINUTE = 60_000;
const PARIS = 'Europe/Paris';
const INCLUDES = '_include=Slot:schedule&_include:iterate=Schedule:actor&_include=Slot:service-type-reference'
  + '&_include:iterate=HealthcareService:organization';
const idnps = (rpps: readonly string[]) => `urn:oid:1.2.250.1.71.4.2.1|${rpps.map((r) => `8${r}`).join(',')}`;
const at = (ms: number) => formatFhirInstant(ms, PARIS);

/** The SAS's search, as the IG writes it (the "+" of the offsets unencoded). */
function slotSearch(rpps: readonly string[], from: string, until: string, includes = INCLUDES): string {
  return `/fhir/Slot?${includes}${includes === '' ? '' : '&'}start=ge${from}&start=le${until}`
    + `&schedule.actor:Practitioner.identifier=${idnps(rpps)}&status=free`;
}

interface Setup {
  db: Kysely<Database>;
  pros: ProfessionalFixture[];
  other: ProfessionalFixture;
  start: number;
  slotsPerPro: number;
}

/** 25 GPs in terr-a with 3 slots each from `start`, and one in terr-b; both CPTS with an IDNST, every site an address. */
async function setup(t: Test): Promise<Setup & { url: string }> {
  const database = await migratedDatabase(t);
  const w = await world(database.db, { prosPerTerritory: 1 });
  const pros = [w.a.pros[0]!];
  for (let i = 1; i < 25; i++) pros.push(await addProfessional(database.db, { territoryId: 'terr-a', commune: i % 2 === 0 ? COMMUNES.venissieux : COMMUNES.saintFons }));
  const start = soon(60);
  const slotsPerPro = 3;
  for (const pro of [...pros, w.b.pros[0]!]) await addSlots(database.db, pro, { start, count: slotsPerPro });
  await sql`update territories set organisation_identifier = case id when 'terr-a' then '1690000010' else '1170000012' end`.execute(database.db);
  await sql`update sites set address = '12 avenue Jean Jaurès, 69200 Vénissieux'`.execute(database.db);
  return { db: database.db, url: database.url, pros, other: w.b.pros[0]!, start, slotsPerPro };
}

const resources = (bundle: any, type: string): any[] => (bundle.entry ?? []).map((e: any) => e.resource).filter((r: any) => r.resourceType === type);

t.test('the SAS search for 1, 10 and 25 practitioners: right slots, complete includes, valid FHIR', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const from = at(s.start - 30 * MINUTE);
  const until = at(s.start + 6 * 60 * MINUTE);

  for (const n of [1, 10, 25]) {
    const rpps = s.pros.slice(0, n).map((p) => p.rpps);
    const path = slotSearch(rpps, from, until);
    const started = performance.now();
    const res = await http(service, 'GET', path, { token });
    const ms = performance.now() - started;
    t.equal(res.status, 200, `${n}: 200`);
    t.match(res.headers.get('content-type'), /^application\/fhir\+json/, `${n}: FHIR JSON`);
    const bundle = res.json;
    t.equal(bundle.type, 'searchset');
    t.equal(bundle.total, n * s.slotsPerPro, `${n}: total counts every free slot of the ${n} practitioners`);
    t.equal(resources(bundle, 'Slot').length, bundle.total, `${n}: one Slot entry per match`);
    t.same(bundle.link, [{ relation: 'self', url: `${service.url}${path}` }], `${n}: the self link is the request`);
    t.equal(resources(bundle, 'Practitioner').length, n, `${n}: each practitioner once`);
    t.same(new Set(resources(bundle, 'Practitioner').map((p: any) => p.identifier[0].value)), new Set(rpps.map((r) => `8${r}`)), `${n}: exactly the asked IDNPS`);
    t.equal(resources(bundle, 'Schedule').length, n, `${n}: one Schedule per practitioner and site`);
    t.equal(resources(bundle, 'PractitionerRole').length, n);
    t.equal(resources(bundle, 'HealthcareService').length, 1, `${n}: the CPTS service once`);
    t.same(resources(bundle, 'Organization').map((o: any) => o.identifier[0].value), ['1690000010'], `${n}: the CPTS by its IDNST, once`);
    t.same(resources(bundle, 'PractitionerRole')[0].contained[0].address, { line: ['12 avenue Jean Jaurès'], city: 'Vénissieux', postalCode: '69200', country: 'FR' });
    for (const slot of resources(bundle, 'Slot')) {
      if (!(slot.status === 'free' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000[+-]\d\d:\d\d$/.test(slot.start) && Date.parse(slot.end) > Date.parse(slot.start))) {
        t.fail('a slot is not free, or not printed as YYYY-MM-DDTHH:MM:SS.000+HH:MM with end > start', { slot });
      }
    }
    assertReferencesResolve(t, bundle);
    assertValidFhir(t, bundle, `the ${n}-practitioner Bundle`);
    t.comment(`${n} practitioners: answered in ${ms.toFixed(1)} ms (measured, not asserted: see bench/fhir-search.ts)`);
  }
});

t.test('date bounds: inclusive, with or without offset, encoded or not, never the past', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const rpps = [s.pros[0]!.rpps];
  const total = async (from: string, until: string) => {
    const res = await http(service, 'GET', slotSearch(rpps, from, until), { token });
    t.equal(res.status, 200, `${from} .. ${until}: 200`);
    return res.json.total as number;
  };
  const [first, second, third] = [s.start, s.start + 20 * MINUTE, s.start + 40 * MINUTE];
  t.equal(await total(at(first), at(third)), 3, 'both bounds are inclusive');
  t.equal(await total(at(first + 1), at(third - 1)), 1, 'a millisecond inside each bound leaves out the slots on them');
  t.equal(await total(at(first), at(first)), 1, 'ge and le on one instant: the slot starting then');
  t.equal(await total(new Date(second).toISOString(), new Date(third).toISOString()), 2, 'UTC "Z" bounds');
  // Local wall time without offset: the territory's zone (Europe/Paris).
  const wall = (ms: number) => formatFhirInstant(ms, PARIS).slice(0, 19);
  t.equal(await total(wall(second), wall(third)), 2, 'no offset: the territory\'s local time');
  t.equal(await total(wall(second).slice(0, 16), wall(second).slice(0, 16)), 1, 'minute precision: le covers the whole minute');
  const day = (ms: number) => formatFhirInstant(ms, PARIS).slice(0, 10);
  t.ok(await total(day(first), day(third + 2 * 24 * 60 * MINUTE)) >= 1, 'day precision: ge the day\'s start, le its end');
  const encoded = await http(service, 'GET', slotSearch(rpps, at(first).replace('+', '%2B'), at(third).replace('+', '%2B')), { token });
  t.equal(encoded.json.total, 3, 'a percent-encoded "+" reads the same');
  t.equal(await total(at(Date.now() - 48 * 60 * MINUTE), at(first)), 1, 'a window reaching into the past returns only slots to come');

  // A slot that has started is not offered, even though the window covers it.
  await sql`update slots set starts_at = now() - interval '5 minutes', ends_at = now() + interval '1 minute' where id = (select id from slots where professional_id = ${s.pros[0]!.id} order by starts_at limit 1)`.execute(s.db);
  await service.sync.catchUp();
  t.equal(await total(at(Date.now() - 60 * MINUTE), at(third)), 2, 'the started slot is gone');
});

t.test('an unknown RPPS, or one outside the client\'s territories: an empty Bundle, total 0', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const window = [at(s.start - MINUTE), at(s.start + 6 * 60 * MINUTE)] as const;
  for (const [label, rpps] of [['unknown', rppsFromPrefix('1234567890')], ['other territory', s.other.rpps]] as const) {
    const res = await http(service, 'GET', slotSearch([rpps], ...window), { token });
    t.equal(res.status, 200, `${label}: 200`);
    t.same(res.json, { resourceType: 'Bundle', type: 'searchset', total: 0, link: [{ relation: 'self', url: `${service.url}${slotSearch([rpps], ...window)}` }] }, `${label}: empty searchset`);
    assertValidFhir(t, res.json, `${label}: the empty Bundle`);
  }
  const both = await http(service, 'GET', slotSearch([rppsFromPrefix('1234567890'), s.pros[1]!.rpps], ...window), { token });
  t.equal(both.json.total, s.slotsPerPro, 'an unknown RPPS beside a known one changes nothing');

  // Without _include: the Slots alone.
  const bare = await http(service, 'GET', slotSearch([s.pros[1]!.rpps], ...window, ''), { token });
  t.same(bare.json.entry.map((e: any) => e.resource.resourceType), ['Slot', 'Slot', 'Slot'], 'no _include: only Slots');
  t.same(bare.json.entry.map((e: any) => e.search.mode), ['match', 'match', 'match']);
  const half = await http(service, 'GET', slotSearch([s.pros[1]!.rpps], ...window, '_include=Slot:schedule'), { token });
  t.same([...new Set(half.json.entry.map((e: any) => e.resource.resourceType))], ['Slot', 'Schedule'], '_include=Slot:schedule: Slots and their Schedule');
});

t.test('our answer to the IG example situation has the shape of Bundle-ExampleBundleCPTS', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const res = await http(service, 'GET', slotSearch([s.pros[0]!.rpps], at(s.start), at(s.start)), { token });
  const ig = igFile('example/Bundle-ExampleBundleCPTS.json');
  t.equal(res.json.total, ig.total, 'one Slot, as in the example');
  t.same(res.json.meta.profile, ig.meta.profile);
  t.same(res.json.entry.map((e: any) => e.resource.resourceType), ig.entry.map((e: any) => e.resource.resourceType), 'same resources in the same order');
  t.same(res.json.entry.map((e: any) => e.resource.meta.profile), ig.entry.map((e: any) => e.resource.meta.profile), 'same profiles');
  t.same(res.json.entry.map((e: any) => e.search.mode), ['match', 'include', 'include', 'include', 'include', 'include'], 'the Slot matched, the rest included');
  for (const e of res.json.entry) t.equal(e.fullUrl, `${service.url}/fhir/${e.resource.resourceType}/${e.resource.id}`, `${e.resource.resourceType} fullUrl`);
});

t.test('malformed or unknown search parameters: 400 OperationOutcome naming each', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const good = slotSearch([s.pros[0]!.rpps], at(s.start), at(s.start + MINUTE));
  const cases: Array<[string, string, string]> = [
    ['unknown parameter', `${good}&colour=blue`, 'http.colour'],
    ['malformed start', good.replace(/start=ge[^&]+/, 'start=ge2026-13-45'), 'http.start'],
    ['comparator other than ge/le', good.replace(/start=ge/, 'start=gt'), 'http.start'],
    ['no status', good.replace('&status=free', ''), 'http.status'],
    ['status other than free', good.replace('status=free', 'status=busy'), 'http.status'],
    // A bad RPPS check digit is no longer a 400 (issue 14): see test/fhir-http-kit.test.ts.
    ['not an RPPS-based IDNPS', good.replace(/Practitioner\.identifier=[^&]+/, 'Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1|0123'), 'http.schedule.actor:Practitioner.identifier'],
    ['26 practitioners', slotSearch(Array.from({ length: 26 }, (_, i) => rppsFromPrefix(String(1000000000 + i))), at(s.start), at(s.start)), 'http.schedule.actor:Practitioner.identifier'],
    ['unknown include', `${good}&_include=Slot:foo`, 'http._include'],
  ];
  for (const [label, path, location] of cases) {
    const res = await http(service, 'GET', path, { token });
    t.equal(res.status, 400, `${label}: 400`);
    t.match(res.headers.get('content-type'), /^application\/fhir\+json/, `${label}: FHIR JSON`);
    t.equal(res.json.resourceType, 'OperationOutcome', `${label}: OperationOutcome`);
    t.ok(res.json.issue.some((i: any) => i.location?.includes(location)), `${label}: names ${location}`);
    assertValidFhir(t, res.json, `${label}: the OperationOutcome`);
  }
});

t.test('errors under /fhir are OperationOutcome: 401, 403, 404, bad JSON; metadata is public', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.url);
  const search = slotSearch([s.pros[0]!.rpps], at(s.start), at(s.start));
  const outcome = (res: Awaited<ReturnType<typeof http>>, status: number, code: string, label: string) => {
    t.equal(res.status, status, `${label}: ${status}`);
    t.match(res.headers.get('content-type'), /^application\/fhir\+json/, `${label}: FHIR JSON, not problem+json`);
    t.equal(res.json?.resourceType, 'OperationOutcome', `${label}: OperationOutcome`);
    t.equal(res.json?.issue?.[0]?.code, code, `${label}: issue ${code}`);
  };
  const anonymous = await http(service, 'GET', search);
  outcome(anonymous, 401, 'login', 'no token');
  t.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
  outcome(await http(service, 'GET', search, { token: 'not-a-token' }), 401, 'login', 'unknown token');
  const pharmacist = await tokenFor(s.db, 'pharmacist', ['terr-a']);
  outcome(await http(service, 'GET', search, { token: pharmacist.token }), 403, 'forbidden', 'a pharmacist');
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  outcome(await http(service, 'GET', '/fhir/Patient/1', { token }), 404, 'not-found', 'an unknown interaction');
  outcome(await http(service, 'GET', '/fhir/Slot/00000000-0000-4000-8000-000000000000', { token }), 404, 'not-found', 'an unknown slot');
  const post = async (contentType: string, body: string) => {
    const res = await fetch(`${service.url}/fhir/Appointment`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
    return { status: res.status, headers: res.headers, json: await res.json() as any, text: '' };
  };
  outcome(await post('application/fhir+json', '{"resourceType": "Appoint'), 400, 'structure', 'malformed FHIR JSON');
  outcome(await post('application/json', '{"resourceType": "Appoint'), 400, 'structure', 'malformed JSON');
  outcome(await post('application/fhir+json', '{"resourceType": "Patient"}'), 400, 'structure', 'not an Appointment');
  outcome(await post('text/plain', 'x'), 415, 'not-supported', 'a media type other than JSON');

  const metadata = await http(service, 'GET', '/fhir/metadata');
  t.equal(metadata.status, 200, 'metadata without a token');
  t.equal(metadata.json.resourceType, 'CapabilityStatement');
  t.equal(metadata.json.implementation.url, `${service.url}/fhir`);
  assertValidFhir(t, metadata.json, 'the CapabilityStatement');
});

t.test('reads: Slot/:id, Schedule/:id, Practitioner?identifier=, within the client\'s territories only', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const search = await http(service, 'GET', slotSearch([s.pros[0]!.rpps, s.other.rpps], at(s.start), at(s.start + 60 * MINUTE)), { token });
  const slot = resources(search.json, 'Slot')[0];
  const schedule = resources(search.json, 'Schedule')[0];

  const readSlot = await http(service, 'GET', `/fhir/Slot/${slot.id}`, { token });
  t.equal(readSlot.status, 200);
  t.same(readSlot.json, slot, 'the read gives the searched Slot');
  const readSchedule = await http(service, 'GET', `/fhir/Schedule/${schedule.id}`, { token });
  t.equal(readSchedule.status, 200);
  t.same(readSchedule.json, schedule, 'the read gives the included Schedule');
  for (const bad of ['nonsense', 'xabc.xdef', `${schedule.id}x`]) {
    t.equal((await http(service, 'GET', `/fhir/Schedule/${bad}`, { token })).status, 404, `Schedule/${bad}: 404`);
  }

  const practitioners = await http(service, 'GET', `/fhir/Practitioner?identifier=${idnps([s.pros[0]!.rpps, s.pros[1]!.rpps, s.other.rpps])}`, { token });
  t.equal(practitioners.status, 200);
  t.equal(practitioners.json.total, 2, 'the two of the client\'s territory, not the third');
  assertValidFhir(t, practitioners.json, 'the Practitioner searchset');
  t.equal((await http(service, 'GET', '/fhir/Practitioner?name=x', { token })).status, 400, 'Practitioner by name: 400');

  // Out of scope reads are 404, like unknown ones.
  const [otherSlot] = await s.db.selectFrom('slots').select('id').where('professional_id', '=', s.other.id).execute();
  t.equal((await http(service, 'GET', `/fhir/Slot/${otherSlot!.id}`, { token })).status, 404, 'a slot of another territory: 404');
  const b = await tokenFor(s.db, 'regulator', ['terr-b']);
  t.equal((await http(service, 'GET', `/fhir/Schedule/${schedule.id}`, { token: b.token })).status, 404, 'a schedule of another territory: 404');

  // A booked slot is no longer a (free) Slot.
  await http(service, 'POST', '/v1/bookings', { token, headers: { 'idempotency-key': 'read-1' }, body: { slotId: slot.id, patient: { name: 'A', phone: '+33 6 00 00 00 00' } } });
  await service.sync.catchUp();
  t.equal((await http(service, 'GET', `/fhir/Slot/${slot.id}`, { token })).status, 404, 'a booked slot: 404');
  const after = await http(service, 'GET', slotSearch([s.pros[0]!.rpps], at(s.start), at(s.start + 60 * MINUTE)), { token });
  t.notOk(resources(after.json, 'Slot').some((r: any) => r.id === slot.id), 'nor is it found by the search');
});
