// What the SAS certification kit (issue 14) expects of /fhir beyond the plain
// search, over real HTTP on a real service and PostgreSQL: liberal identifiers
// and media types, paging, Schedule search and Practitioner read, the D+2
// window, telecom.
import { sql, type Kysely } from 'kysely';
import t, { type Test } from 'tap';
import type { Database } from '../src/db/schema.js';
import { formatFhirInstant } from '../src/sas/resources/instant.js';
import { parseDateParam } from '../src/sas/resources/search-date.js';
import { migratedDatabase } from './helpers/database.js';
import { assertReferencesResolve, assertValidFhir } from './helpers/fhir.js';
import { addProfessional, addSlots, COMMUNES, soon, tokenFor, world, type ProfessionalFixture } from './helpers/fixtures.js';
import { at, ids, KIT_IDNPS, PARIS, resources, slotSearch } from './helpers/sas-kit.js';
import { http, matchIds, startTestService } from './helpers/service.js';

const MINUTE = 60_000;

interface Setup { db: Kysely<Database>; url: string; pros: ProfessionalFixture[]; other: ProfessionalFixture; start: number }

/** Two GPs in terr-a (two sites for the first), one in terr-b, 3 slots each; both CPTS with an IDNST. */
async function setup(t: Test): Promise<Setup> {
  const database = await migratedDatabase(t);
  const w = await world(database.db, { prosPerTerritory: 1 });
  const pros = [w.a.pros[0]!, await addProfessional(database.db, { territoryId: 'terr-a', commune: COMMUNES.saintFons })];
  const start = soon(60);
  for (const pro of [...pros, w.b.pros[0]!]) await addSlots(database.db, pro, { start, count: 3 });
  await sql`update territories set organisation_identifier = case id when 'terr-a' then '1690000010' else '1170000012' end`.execute(database.db);
  await sql`update sites set address = '12 avenue Jean Jaurès, 69200 Vénissieux'`.execute(database.db);
  return { db: database.db, url: database.url, pros, other: w.b.pros[0]!, start };
}


t.test('a well-formed identifier that matches nobody, the kit\'s 810001288385 included: 200, empty searchset, an outcome entry says why', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const window = [at(s.start - MINUTE), at(s.start + 6 * 60 * MINUTE)] as const;

  const alone = await http(service, 'GET', slotSearch([KIT_IDNPS], ...window), { token });
  t.equal(alone.status, 200, 'not a 400');
  t.equal(alone.json.type, 'searchset');
  t.equal(alone.json.total, 0, 'nothing matched');
  t.same(alone.json.entry.map((e: any) => e.search.mode), ['outcome'], 'only the outcome entry');
  const outcome = alone.json.entry[0].resource;
  t.equal(outcome.resourceType, 'OperationOutcome');
  t.equal(outcome.issue[0].severity, 'warning', 'a warning, not an error');
  t.match(outcome.issue[0].diagnostics, /810001288385.*check digit/, 'says which identifier and why');
  assertValidFhir(t, alone.json, 'the empty searchset with its outcome');

  const beside = await http(service, 'GET', slotSearch([`8${s.pros[0]!.rpps}`, KIT_IDNPS], ...window), { token });
  t.equal(beside.status, 200);
  t.equal(beside.json.total, 3, 'the known practitioner\'s slots are still found');
  t.same(beside.json.entry.map((e: any) => e.search.mode).filter((m: string) => m === 'outcome'), ['outcome'], 'and the outcome entry comes with them');
  t.equal(beside.json.entry.at(-1).search.mode, 'outcome', 'after the matches and includes');
  assertReferencesResolve(t, beside.json);
  assertValidFhir(t, beside.json, 'the searchset with matches and an outcome');

  const practitioners = await http(service, 'GET', `/fhir/Practitioner?identifier=${ids([KIT_IDNPS])}`, { token });
  t.equal(practitioners.status, 200, 'the Practitioner search: 200 too');
  t.equal(practitioners.json.total, 0);
  t.equal(practitioners.json.entry[0].search.mode, 'outcome');
  assertValidFhir(t, practitioners.json, 'the Practitioner searchset with its outcome');

  const malformed = await http(service, 'GET', slotSearch(['8123'], ...window), { token });
  t.equal(malformed.status, 400, 'a malformed identifier is still a 400');
});

t.test('media types: application/fhir+json and application/json+fhir both accepted; XML is a 406 OperationOutcome', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const search = slotSearch([`8${s.pros[0]!.rpps}`], at(s.start), at(s.start + 60 * MINUTE));

  for (const accept of ['application/fhir+json', 'application/json+fhir', 'application/json', '*/*', 'application/fhir+xml;q=0.9, application/fhir+json', 'text/html']) {
    const res = await http(service, 'GET', search, { token, headers: { accept } });
    t.equal(res.status, 200, `Accept: ${accept}: 200`);
    t.match(res.headers.get('content-type'), /^application\/fhir\+json/, `Accept: ${accept}: FHIR JSON`);
  }
  for (const format of ['json', 'application/fhir+json', 'application/json+fhir', 'application/fhir%2Bjson']) {
    const res = await http(service, 'GET', `${search}&_format=${format}`, { token });
    t.equal(res.status, 200, `_format=${format}: 200`);
  }

  const refused = async (label: string, path: string, accept?: string, authenticated = true) => {
    const res = await http(service, 'GET', path, { ...(authenticated ? { token } : {}), ...(accept ? { headers: { accept } } : {}) });
    t.equal(res.status, 406, `${label}: 406`);
    t.match(res.headers.get('content-type'), /^application\/fhir\+json/, `${label}: the refusal in FHIR JSON`);
    t.equal(res.json.resourceType, 'OperationOutcome', `${label}: an OperationOutcome`);
    t.equal(res.json.issue[0].code, 'not-supported', `${label}: not-supported`);
    assertValidFhir(t, res.json, `${label}: the OperationOutcome`);
  };
  await refused('Accept: application/fhir+xml', search, 'application/fhir+xml');
  await refused('Accept: application/xml+fhir', search, 'application/xml+fhir');
  await refused('Accept: application/xml', '/fhir/Practitioner?identifier=x', 'application/xml');
  await refused('_format=xml', `${search}&_format=xml`);
  await refused('_format=application/fhir+xml', `${search}&_format=application/fhir+xml`);
  await refused('the CapabilityStatement as XML', '/fhir/metadata?_format=xml', undefined, false);
  await refused('the CapabilityStatement with Accept XML', '/fhir/metadata', 'application/fhir+xml', false);

  // Bodies: both JSON media types post an Appointment (it is then judged on its content, not its media type).
  for (const contentType of ['application/fhir+json', 'application/json+fhir', 'application/json+fhir; charset=utf-8']) {
    const res = await fetch(`${service.url}/fhir/Appointment`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body: '{"resourceType": "Patient"}',
    });
    t.equal(res.status, 400, `Content-Type ${contentType}: parsed, then refused as not an Appointment`);
    t.equal(((await res.json()) as any).issue[0].code, 'structure', `Content-Type ${contentType}: an Appointment was expected`);
  }
});

t.test('_count pages the Slot search: next and previous links, the includes of each page\'s own Slots, the same matches in all', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const search = slotSearch(s.pros.map((p) => `8${p.rpps}`), at(s.start - MINUTE), at(s.start + 6 * 60 * MINUTE));
  const whole = await http(service, 'GET', search, { token });
  t.equal(whole.json.total, 6);
  t.same(whole.json.link.map((l: any) => l.relation), ['self'], 'without _count: one page, the self link alone');
  const allIds = resources(whole.json, 'Slot').map((r: any) => r.id);

  for (const count of [1, 4]) {
    const seen: string[] = [];
    let url: string | undefined = `${service.url}${search}&_count=${count}`;
    let pages = 0;
    let previous: string | undefined;
    while (url !== undefined) {
      const res = await http(service, 'GET', url.slice(service.url.length), { token });
      pages++;
      t.equal(res.status, 200, `_count=${count}, page ${pages}: 200`);
      const bundle = res.json;
      t.equal(bundle.total, 6, `_count=${count}, page ${pages}: total counts every match`);
      t.equal(bundle.link[0].relation, 'self');
      t.equal(bundle.link[0].url, url, 'self is the request');
      const slots = resources(bundle, 'Slot');
      t.ok(slots.length <= count && slots.length > 0, `_count=${count}, page ${pages}: 1 to ${count} Slots`);
      seen.push(...slots.map((r: any) => r.id));
      // The includes belong to this page: exactly the Schedules (and their actors) its Slots reference.
      const schedules = new Set(slots.map((r: any) => r.schedule.reference));
      t.same(new Set(resources(bundle, 'Schedule').map((r: any) => `Schedule/${r.id}`)), schedules, `_count=${count}, page ${pages}: the Schedules of its Slots`);
      t.equal(resources(bundle, 'Practitioner').length, new Set(resources(bundle, 'Schedule').map((r: any) => r.actor[0].reference)).size, 'their Practitioners');
      assertReferencesResolve(t, bundle);
      assertValidFhir(t, bundle, `_count=${count}, page ${pages}`);
      const prev = bundle.link.find((l: any) => l.relation === 'previous')?.url;
      t.equal(prev === undefined, pages === 1, `_count=${count}, page ${pages}: a previous link except on the first page`);
      if (prev !== undefined && previous !== undefined) t.equal(prev, previous, 'previous leads back to the page before');
      const next = bundle.link.find((l: any) => l.relation === 'next')?.url;
      t.equal(bundle.link.length > 1, bundle.meta === undefined, 'a page with paging links does not claim the CPTS bundle profile (link 1..1)');
      if (next !== undefined) t.match(next, /_count=\d+.*_offset=\d+$/, 'next keeps the query and sets _offset');
      previous = url;
      url = next;
    }
    t.equal(pages, Math.ceil(6 / count), `_count=${count}: ${Math.ceil(6 / count)} pages`);
    t.same(seen, allIds, `_count=${count}: the pages hold the whole answer, in its order, once each`);
  }

  const totalOnly = await http(service, 'GET', `${search}&_count=0`, { token });
  t.equal(totalOnly.json.total, 6, '_count=0: the total');
  t.equal(totalOnly.json.entry, undefined, '_count=0: no entry');
  t.same(totalOnly.json.link.map((l: any) => l.relation), ['self'], '_count=0: no page to go to');
  const big = await http(service, 'GET', `${search}&_count=100`, { token });
  t.same(big.json.link.map((l: any) => l.relation), ['self'], '_count beyond the total: one page, self alone');
  t.ok(big.json.meta?.profile, 'and it claims the CPTS bundle profile as before');
  t.equal((await http(service, 'GET', `${search}&_count=-1`, { token })).status, 400, '_count=-1: 400');
  t.equal((await http(service, 'GET', `${search}&_offset=x`, { token })).status, 400, '_offset=x: 400');
});

t.test('Schedule search by actor and Practitioner read, as the CPTS CapabilityStatement says', async (t) => {
  const s = await setup(t);
  const service = await startTestService(t, s.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  // A second site for the first professional: two Schedules.
  const [site] = await s.db.selectFrom('sites').selectAll().where('id', '=', s.pros[0]!.siteId).execute();
  await s.db.insertInto('sites').values({ ...site!, id: undefined as never, commune_code: COMMUNES.saintFons.code }).execute();
  const search = await http(service, 'GET', slotSearch(s.pros.map((p) => `8${p.rpps}`), at(s.start), at(s.start + 60 * MINUTE)), { token });
  const practitioner = resources(search.json, 'Practitioner').find((p: any) => p.identifier[0].value === `8${s.pros[0]!.rpps}`);
  const scheduleOfSearch = resources(search.json, 'Schedule').find((r: any) => r.actor[0].reference === `Practitioner/${practitioner.id}`);

  const read = await http(service, 'GET', `/fhir/Practitioner/${practitioner.id}`, { token });
  t.equal(read.status, 200, 'Practitioner read: 200');
  t.same(read.json, practitioner, 'the read gives the included Practitioner');
  assertValidFhir(t, read.json, 'the Practitioner');
  t.equal((await http(service, 'GET', `/fhir/Practitioner/${s.other.id}`, { token })).status, 404, 'a practitioner of another territory: 404');
  t.equal((await http(service, 'GET', '/fhir/Practitioner/nonsense', { token })).status, 404, 'an unknown id: 404');

  const schedules = await http(service, 'GET', `/fhir/Schedule?actor=Practitioner/${practitioner.id}`, { token });
  t.equal(schedules.status, 200, 'Schedule search: 200');
  t.equal(schedules.json.type, 'searchset');
  t.equal(schedules.json.total, 2, 'one Schedule per site of the practitioner');
  t.ok(schedules.json.entry.some((e: any) => JSON.stringify(e.resource) === JSON.stringify(scheduleOfSearch)), 'among them the one the Slot search included');
  t.ok(schedules.json.entry.every((e: any) => e.resource.actor[0].reference === `Practitioner/${practitioner.id}` && e.search.mode === 'match'));
  for (const e of schedules.json.entry) t.equal((await http(service, 'GET', `/fhir/Schedule/${e.resource.id}`, { token })).status, 200, 'each can be read');
  assertValidFhir(t, schedules.json, 'the Schedule searchset');
  const both = await http(service, 'GET', `/fhir/Schedule?actor=Practitioner/${practitioner.id},${s.pros[1]!.id},Practitioner/${s.other.id}`, { token });
  t.equal(both.json.total, 3, 'several actors (bare ids too); another territory\'s practitioner has none here');
  const none = await http(service, 'GET', '/fhir/Schedule?actor=Practitioner/unknown', { token });
  t.same([none.status, none.json.total], [200, 0], 'an unknown practitioner: an empty searchset');
  const role = await http(service, 'GET', '/fhir/Schedule?actor=PractitionerRole/x', { token });
  t.equal(role.status, 400, 'another actor type: 400');
  t.ok(role.json.issue.some((i: any) => i.location?.includes('http.actor')), 'naming actor');
  t.equal((await http(service, 'GET', '/fhir/Schedule', { token })).status, 400, 'no actor: 400');
});

/** The local wall time `days` days after today in Paris, as an instant. */
function parisWallTime(days: number, time: string): { instant: number; local: string } {
  const today = formatFhirInstant(Date.now(), PARIS).slice(0, 10);
  const day = new Date(Date.parse(`${today}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const parsed = parseDateParam(`ge${day}T${time}`, PARIS);
  if ('error' in parsed) throw new Error(parsed.error);
  return { instant: parsed.bound, local: `${day}T${time}` };
}

t.test('the kit\'s window, now to the end of local D+2: a slot at D+2 17:00 is found from memory; /v1/match keeps its 48 hours', async (t) => {
  const s = await setup(t);
  const late = parisWallTime(2, '17:00:00');
  const [lateSlot] = await addSlots(s.db, s.pros[0]!, { start: late.instant, count: 1 });
  const service = await startTestService(t, s.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const endOfD2 = `${late.local.slice(0, 10)}T23:59:59.000`;
  // As the kit sends it: from now, to the end of D+2, local time without offset.
  const res = await http(service, 'GET', slotSearch([`8${s.pros[0]!.rpps}`], at(Date.now()), endOfD2), { token });
  t.equal(res.status, 200);
  const ids = resources(res.json, 'Slot').map((r: any) => r.id);
  t.ok(ids.includes(lateSlot), 'the D+2 17:00 slot is in the answer');
  t.equal(res.json.total, 4, 'with the three of the next hours');
  t.equal(resources(res.json, 'Slot').find((r: any) => r.id === lateSlot).start, formatFhirInstant(late.instant, PARIS), 'at 17:00 local');
  t.ok(service.sync.status().size >= 7, 'answered from the index, which holds it');

  const matched = await matchIds(service, token);
  if (late.instant - Date.now() > 48 * 3_600_000) t.notOk(matched.includes(lateSlot!), 'the D+2 17:00 slot is beyond 48 h: /v1/match leaves it out');
  else t.comment('D+2 17:00 is within 48 h at this hour: the /v1/match clamp is not exercised');
});

t.test('telecom: the CPTS phone on Organization (must-support), the professional\'s on PractitionerRole; the demo data has both', async (t) => {
  const s = await setup(t);
  await s.db.updateTable('territories').set({ phone: '+33 1 99 00 12 34' }).where('id', '=', 'terr-a').execute();
  await s.db.updateTable('professionals').set({ phone: '+33 6 39 98 56 78' }).where('id', '=', s.pros[0]!.id).execute();
  await t.rejects(s.db.updateTable('professionals').set({ phone: 'call me' }).where('id', '=', s.pros[1]!.id).execute(), 'a phone that is no phone number is refused by the schema');
  const service = await startTestService(t, s.url);
  const { token } = await tokenFor(s.db, 'regulator', ['terr-a']);
  const res = await http(service, 'GET', slotSearch(s.pros.map((p) => `8${p.rpps}`), at(s.start), at(s.start + 60 * MINUTE)), { token });
  // Sent in the compact international form the kit checks (^\+33\d{9}$), however it was written.
  t.same(resources(res.json, 'Organization')[0].telecom, [{ system: 'phone', value: '+33199001234' }], 'Organization.telecom');
  const roles = resources(res.json, 'PractitionerRole');
  const practitionerOf = (role: any) => resources(res.json, 'Practitioner').find((p: any) => role.practitioner.reference === `Practitioner/${p.id}`);
  const withPhone = roles.filter((r: any) => practitionerOf(r).identifier[0].value === `8${s.pros[0]!.rpps}`);
  t.equal(withPhone.length, 1);
  t.same(withPhone[0].telecom, [{ system: 'phone', value: '+33639985678' }], 'PractitionerRole.telecom');
  t.ok(roles.filter((r: any) => r !== withPhone[0]).every((r: any) => r.telecom === undefined), 'no phone known: no telecom (no empty array)');
  assertValidFhir(t, res.json, 'the Bundle with telecom');

  const { demoTerritories } = await import('../src/seed/demo-territories.js');
  const demo = demoTerritories();
  t.ok(demo.every((d) => /^\+33 1 99 00 \d\d \d\d$/.test(d.organisation.phone)), 'every demo CPTS has a phone, in the block reserved for fiction');
  t.ok(demo.every((d) => d.professionals.every((p) => /^\+33 6 39 98 \d\d \d\d$/.test(p.phone))), 'every demo professional too');
});
