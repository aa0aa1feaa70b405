// The SAS certification kit's groups flux_v1 (regulator accounts, FrPractitionerRegul)
// and flux_v2 (SSO: the booking link in Slot.comment), as the kit
// (ansforge/interop-outil-fhir-sas-test-kit, lib/sas_test_kit/prise_de_rendez_vous)
// sends them, in its order and with its default inputs, over real mutual TLS (the
// kit's client certificate, no Authorization header) on a real service and PostgreSQL. Each kit assertion is one assertion here, named after its test id.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import t from 'tap';
import { formatFhirInstant } from '../src/sas/resources/instant.js';
import { migratedDatabase } from './helpers/database.js';
import { assertValidFhir } from './helpers/fhir.js';
import { igFile } from './helpers/ig-package.js';
import { addSlots, soon, world } from './helpers/fixtures.js';
import { followAsBrowser, kitClient } from './helpers/kit-connection.js';
import { runService } from './helpers/service-process.js';
import { startTlsTestService, testPki } from './helpers/tls-service.js';

const PROFILE = 'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/FrPractitionerRegul';
const IDNPS = 'urn:oid:1.2.250.1.71.4.2.1';
const INTRN = 'urn:oid:1.2.250.1.213.3.6';
// The kit's default inputs (flux_v1_group.rb).
const K = {
  regulator_id: '3456780581/11242343', regulator_id_modif: '3456780581/11242344',
  regulator_mail: 'sebastien.loridon@test.com', regulator_mail_modif: 'sebastien.loridon.modif@test.com',
  regulator_first_name: 'Sébastien', regulator_first_name_modif: 'Sébastien-modif',
  regulator_last_name: 'Loridon', regulator_last_name_modif: 'Loridon-modif', resource_id: 'example-regulator-1',
};

/** HelperFLuxv1.build_regulateur_body. */
function regulator(id: string, mail: string, resourceId: string, first: string, last: string, system: string, active = true): Record<string, unknown> {
  return {
    resourceType: 'Practitioner', id: resourceId, meta: { source: INTRN, profile: [PROFILE] },
    identifier: [{ type: { coding: [{ system: 'http://interopsante.org/fhir/CodeSystem/fr-v2-0203', code: system === IDNPS ? 'IDNPS' : 'INTRN' }] }, system, value: id }],
    active, name: [{ family: last, given: [first] }], telecom: [{ system: 'email', value: mail }],
  };
}

const without = (body: Record<string, unknown>, field: string) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== field));
const uuid = () => randomUUID();
/** practitioner_missing_fields.rb: each resource lacks one element (its other elements as the kit has them). */
function missingFields() {
  const base = (system: string) => regulator(uuid(), `${uuid()} + jean.dupont@example.com`, 'invalid', 'Jean', 'Dupont', system);
  return {
    NO_IDENTIFIER: without(base(IDNPS), 'identifier'),
    NO_NAME: without(base(IDNPS), 'name'),
    NO_TELECOM: without(base(IDNPS), 'telecom'),
    NO_ACTIVE: without(base(IDNPS), 'active'),
  };
}
/** practitioner_invalid_values.rb. */
function invalidValues() {
  const idnpsCodeOnIntrn = (body: Record<string, unknown>) => ({ ...body, identifier: [{ type: { coding: [{ system: 'http://interopsante.org/fhir/CodeSystem/fr-v2-0203', code: 'IDNPS' }] }, system: INTRN, value: uuid() }] });
  return {
    EMPTY_NAME: idnpsCodeOnIntrn({ ...regulator(uuid(), `${uuid()} + claire.@example.com`, 'empty-name', 'Claire', '', INTRN) }),
    EMPTY_MAIL: idnpsCodeOnIntrn(regulator(uuid(), '', 'empty-mail', 'Claire', 'Marie', INTRN)),
    WRONG_TELECOM_SYSTEM: { ...regulator(uuid(), `${uuid()}claire@example.com`, 'wrong-telecom-system', 'Claire', 'Marie', IDNPS), telecom: [{ system: 'phone', value: '0601020304' }] },
    WRONG_CODE_FOR_IDNPS_SYSTEM: { ...regulator(uuid(), `${uuid()}claire@example.com`, 'wrong-code-idnps', 'Claire', 'Marie', IDNPS), identifier: [{ type: { coding: [{ system: 'http://interopsante.org/fhir/CodeSystem/fr-v2-0203', code: 'INTRN' }] }, system: IDNPS, value: uuid() }] },
    WRONG_CODE_FOR_INTRN_SYSTEM: idnpsCodeOnIntrn(regulator(uuid(), `${uuid()}claire@example.com`, 'wrong-code-intrn', 'Claire', 'Marie', INTRN)),
  };
}

t.test('flux_v1: regulator accounts (FrPractitionerRegul), the kit\'s sixteen tests in its order', async (t) => {
  const database = await migratedDatabase(t);
  await world(database.db, { prosPerTerritory: 1 });
  const service = await startTlsTestService(t, database.url);
  const sas = await kitClient(database.db, service, 'regulator', ['terr-a']);
  const FHIR = { 'content-type': 'application/json', accept: 'application/fhir+json' };
  const create = (body: unknown) => sas('POST', '/fhir/Practitioner', { body, headers: FHIR });
  const put = (query: string, body: unknown) => sas('PUT', `/fhir/Practitioner?identifier=${query}`, { body, headers: FHIR });
  const is4xx5xx = (status: number) => status >= 400 && status < 600;
  const is2xx3xx = (status: number) => status >= 200 && status < 400;
  const scratch: { uuid?: string } = {};

  // creation_regulateur_idnps_test
  let r = await create(regulator(K.regulator_id, K.regulator_mail, K.resource_id, K.regulator_first_name, K.regulator_last_name, IDNPS));
  t.equal(r.status, 201, 'creation_regulateur_idnps_test: 201');
  t.match(r.headers.get('location'), /\/fhir\/Practitioner\/[0-9a-f-]{36}$/, 'with a Location');
  t.equal(r.json.resourceType, 'Practitioner');
  assertValidFhir(t, r.json, 'the stored account as answered');

  // creation_regulateur_uuid_test
  scratch.uuid = uuid();
  r = await create(regulator(scratch.uuid, `${scratch.uuid}${K.regulator_mail}`, K.resource_id, K.regulator_first_name, K.regulator_last_name, INTRN));
  t.equal(r.status, 201, 'creation_regulateur_uuid_test: 201');

  // creation_double_regulateur_uuid_test
  const twice = uuid();
  const double = regulator(twice, `${twice}${K.regulator_mail}`, K.resource_id, K.regulator_first_name, K.regulator_last_name, INTRN);
  t.equal((await create(double)).status, 201, 'creation_double_regulateur_uuid_test: the first POST 201');
  r = await create(double);
  t.ok(is4xx5xx(r.status), `creation_double_regulateur_uuid_test: the second POST refused (${r.status})`);
  t.equal(r.status, 422, 'a business rule: 422');
  t.equal(r.json.resourceType, 'OperationOutcome');
  t.match(r.json.issue[0].diagnostics, /identifier/, 'the outcome names the identifier');

  // creation_regulateur_champs_manquants_test
  for (const [name, body] of Object.entries(missingFields())) {
    r = await create(body);
    t.ok(is4xx5xx(r.status), `creation_regulateur_champs_manquants_test ${name}: ${r.status}`);
    t.equal(r.json.resourceType, 'OperationOutcome', `${name}: an OperationOutcome`);
    const missing = name.slice(3).toLowerCase();
    t.ok(r.json.issue.some((i: any) => String(i.expression?.[0] ?? '').startsWith(`Practitioner.${missing}`)), `${name}: the issue names Practitioner.${missing}`);
  }

  // creation_regulateur_valeurs_invalides
  for (const [name, body] of Object.entries(invalidValues())) {
    r = await create(body);
    t.ok(is4xx5xx(r.status), `creation_regulateur_valeurs_invalides ${name}: ${r.status}`);
    t.ok(r.json.issue.every((i: any) => typeof i.expression?.[0] === 'string' && i.expression[0].startsWith('Practitioner')), `${name}: each issue names its element`);
  }

  // modification_deshabilitation, modification_habilitation
  r = await put(`${IDNPS}|${K.regulator_id}`, regulator(K.regulator_id, K.regulator_mail, K.resource_id, K.regulator_first_name, K.regulator_last_name, IDNPS, false));
  t.ok(is2xx3xx(r.status), `modification_deshabilitation: ${r.status}`);
  t.equal(r.json.active, false, 'deactivated');
  r = await put(`${IDNPS}|${K.regulator_id}`, regulator(K.regulator_id, K.regulator_mail, K.resource_id, K.regulator_first_name, K.regulator_last_name, IDNPS));
  t.ok(is2xx3xx(r.status), `modification_habilitation: ${r.status}`);
  t.equal(r.status, 200, 'the same account, updated (200)');
  t.equal(r.json.active, true, 'active again');
  const accountId = r.json.id;

  // modification_email_regulateur_test
  r = await put(`${IDNPS}|${K.regulator_id}`, regulator(K.regulator_id, K.regulator_mail_modif, K.resource_id, K.regulator_first_name, K.regulator_last_name, IDNPS));
  t.ok(is2xx3xx(r.status), `modification_email_regulateur_test: ${r.status}`);
  t.equal(r.json.telecom[0].value, K.regulator_mail_modif);

  // modification_id_regulateur_test
  r = await put(`${IDNPS}|${K.regulator_id}`, regulator(K.regulator_id_modif, K.regulator_mail_modif, K.resource_id, K.regulator_first_name, K.regulator_last_name, IDNPS));
  t.ok(is2xx3xx(r.status), `modification_id_regulateur_test: ${r.status}`);
  t.equal(r.json.id, accountId, 'the same account now has the new identifier');

  // modification_typeid_regulateur_test
  r = await put(`${IDNPS}|${scratch.uuid}`, regulator(K.regulator_id, `${scratch.uuid}${K.regulator_mail}`, K.resource_id, K.regulator_first_name, K.regulator_last_name, INTRN));
  t.ok(is2xx3xx(r.status), `modification_typeid_regulateur_test: ${r.status}`);

  // modification_nom_regulateur_test, modification_prenom_regulateur_test
  r = await put(`${IDNPS}|${K.regulator_id_modif}`, regulator(K.regulator_id_modif, K.regulator_mail_modif, K.resource_id, K.regulator_first_name, K.regulator_last_name_modif, IDNPS));
  t.ok(is2xx3xx(r.status), `modification_nom_regulateur_test: ${r.status}`);
  t.equal(r.json.name[0].family, K.regulator_last_name_modif);
  r = await put(`${IDNPS}|${K.regulator_id_modif}`, regulator(K.regulator_id_modif, K.regulator_mail_modif, K.resource_id, K.regulator_first_name_modif, K.regulator_last_name_modif, IDNPS));
  t.ok(is2xx3xx(r.status), `modification_prenom_regulateur_test: ${r.status}`);
  t.same(r.json.name[0].given, [K.regulator_first_name_modif]);

  // modification_regulateur_champs_manquants_test
  for (const [name, body] of Object.entries(missingFields())) {
    r = await put(`${IDNPS}|${K.regulator_id_modif}`, body);
    t.ok(is4xx5xx(r.status), `modification_regulateur_champs_manquants_test ${name}: ${r.status}`);
  }

  // put_as_create_missing_fields_test
  const fresh = uuid();
  for (const [name, body] of Object.entries(missingFields())) {
    r = await put(`${INTRN}|${fresh}`, body);
    t.ok(is4xx5xx(r.status), `put_as_create_missing_fields_test ${name}: ${r.status}`);
  }

  // put_as_create
  const created = uuid();
  r = await put(`${INTRN}|${created}`, regulator(created, `${created}${K.regulator_mail}`, K.resource_id, `${created}${K.regulator_first_name}`, `${created}${K.regulator_last_name}`, INTRN));
  t.ok(r.status === 200 || r.status === 201, `put_as_create: ${r.status}`);
  t.equal(r.status, 201, 'created');

  // idnps_reattribution_test
  r = await put(`${IDNPS}|${K.regulator_id}`, regulator(K.regulator_id, K.regulator_mail, K.resource_id, K.regulator_first_name, K.regulator_last_name, IDNPS, false));
  t.ok(is2xx3xx(r.status), `idnps_reattribution_test (deactivate): ${r.status}`);
  const again = uuid();
  r = await create(regulator(again, `${again}.${K.regulator_mail}`, K.resource_id, `${again}${K.regulator_first_name}`, `${again}${K.regulator_last_name}`, INTRN));
  t.equal(r.status, 201, 'idnps_reattribution_test (create): 201');
  r = await put(`${INTRN}|${again}`, regulator(K.regulator_id, `${again}.${K.regulator_mail}`, K.resource_id, `${again}${K.regulator_first_name}`, `${again}${K.regulator_last_name}`, IDNPS));
  t.ok(is2xx3xx(r.status), `idnps_reattribution_test (the IDNPS given to another account): ${r.status}`);

  // Audited, and scoped: a coordinator, a pharmacist, another client's identifiers.
  const audited = await sql<{ n: string }>`select count(*) as n from audit_log where entity = 'regulator-account'`.execute(database.db);
  t.ok(Number(audited.rows[0]!.n) >= 12, 'every account change is in the audit log');
  const coordinator = await kitClient(database.db, service, 'coordinator', ['terr-a'], service.pki.shortLived('coordinator-terr-a', 3600));
  r = await coordinator('POST', '/fhir/Practitioner', { body: regulator(uuid(), 'a@b.fr', 'x', 'A', 'B', INTRN), headers: FHIR });
  t.equal(r.status, 403, 'a coordinator may not create regulator accounts');
  t.equal(r.json.resourceType, 'OperationOutcome');
});

t.test('FrPractitionerRegul: the IG\'s examples and the element each refusal names', async (t) => {
  const database = await migratedDatabase(t);
  await world(database.db, { prosPerTerritory: 1 });
  const service = await startTlsTestService(t, database.url);
  const sas = await kitClient(database.db, service, 'regulator', ['terr-a']);
  const post = (body: unknown) => sas('POST', '/fhir/Practitioner', { body, headers: { 'content-type': 'application/fhir+json' } });
  const example2 = igFile('example/Practitioner-ExamplePractitionerRegul2.json');
  let r = await post(example2);
  t.equal(r.status, 201, 'ExamplePractitionerRegul2 (IDNPS 8 + RPPS) is accepted');
  // Its person: the RPPS is the login, a regulator of the creating client's territories.
  const person = await sql<{ login: string; role: string; territories: string[] }>`
    select p.login, c.role, c.territories from people p join api_clients c on c.id = p.client_id where p.login = '10002673899'`.execute(database.db);
  t.same(person.rows, [{ login: '10002673899', role: 'regulator', territories: ['terr-a'] }], 'the regulator can log in as its RPPS, for terr-a');
  r = await post(igFile('example/Practitioner-ExamplePractitionerRegul3.json'));
  t.equal(r.status, 201, 'ExamplePractitionerRegul3 (the same IDNPS, inactive) is accepted: only active accounts are unique');
  r = await post(igFile('example/Practitioner-ExamplePractitionerRegul1.json'));
  t.equal(r.status, 422, 'ExamplePractitionerRegul1 (an IDNST system only) is refused: no identifier to find the account by');
  t.match(r.json.issue[0].expression, ['Practitioner.identifier'], 'naming Practitioner.identifier');
  r = await post({ resourceType: 'Patient' });
  t.equal(r.status, 400, 'not a Practitioner: 400');
  r = await post({ ...example2, identifier: [{ ...example2.identifier[0], value: '810002673898' }], name: [{ family: 'MARIUS', given: ['Jules', 'Paul'] }] });
  t.equal(r.status, 422);
  t.match(r.json.issue.map((i: any) => i.expression[0]), ['Practitioner.name[0].given'], 'exactly one given name');
  r = await post({ ...example2, identifier: [{ ...example2.identifier[0], value: '810002673897' }], name: [{ family: 'MA\u0000RIUS', given: ['Jules'] }] });
  t.equal(r.status, 422, 'a control character: 422, never a database error');
  t.match(r.json.issue.map((i: any) => i.expression[0]), ['Practitioner.name[0].family']);
  r = await sas('PUT', `/fhir/Practitioner?identifier=${encodeURIComponent(`${IDNPS}|8100\u00000`)}`, { body: example2 });
  t.equal(r.status, 400, 'a control character in the identifier parameter: 400');
  r = await sas('PUT', `/fhir/Practitioner?identifier=${encodeURIComponent('urn:oid:1.2.250.1.71.4.2.2|1')}`, { body: example2 });
  t.equal(r.status, 400, 'a conditional update by another system: 400');
  t.match(r.json.issue[0].location, ['http.identifier']);
  // Deactivation disables the person (sessions end, its client revoked).
  r = await sas('PUT', `/fhir/Practitioner?identifier=${encodeURIComponent(`${IDNPS}|810002673899`)}`, { body: { ...example2, active: false } });
  t.equal(r.status, 200);
  const disabled = await sql<{ disabled: boolean }>`select disabled_at is not null as disabled from people where login = '10002673899'`.execute(database.db);
  t.same(disabled.rows, [{ disabled: true }], 'the deactivated regulator can no longer log in');
  const metadata = await sas('GET', '/fhir/metadata');
  const practitioner = metadata.json.rest[0].resource.find((x: any) => x.type === 'Practitioner');
  t.same(practitioner.interaction.map((i: any) => i.code), ['read', 'search-type', 'create', 'update'], 'the capability statement declares create and update');
  t.same(practitioner.supportedProfile, [PROFILE]);
  t.equal(practitioner.conditionalUpdate, true);
});

t.test('flux_v2: the booking link in Slot.comment, followed without a session, leads to the login', async (t) => {
  const database = await migratedDatabase(t);
  const w = await world(database.db, { prosPerTerritory: 1 });
  await sql`update territories set organisation_identifier = '1690000010' where id = 'terr-a'`.execute(database.db);
  const pro = w.a.pros[0]!;
  const start = soon(60);
  await addSlots(database.db, pro, { start, count: 2 });
  // A real process, as deployed: its own login (the embedded OpenID provider at
  // PUBLIC_BASE_URL/oidc, over the same HTTPS) is reached through the machine's
  // trust store, which holds the test CA here (NODE_EXTRA_CA_CERTS), the public
  // authorities' certificate in production.
  const pki = testPki();
  const child = runService({
    DATABASE_URL: database.url, PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'info', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0', AUTH_FAILURES_PER_MINUTE: '1000000',
    TLS_CERT_FILE: pki.server.cert, TLS_KEY_FILE: pki.server.key, TLS_CLIENT_CA_FILE: pki.caFile, TLS_CRL_FILE: pki.crlFile, NODE_EXTRA_CA_CERTS: pki.caFile,
  });
  t.teardown(async () => {
    if (child.child.exitCode === null) child.child.kill('SIGTERM');
    await child.exited;
  });
  const service = { url: String((await child.waitFor('snp-match ready to serve')).url) };
  const sas = await kitClient(database.db, service, 'regulator', ['terr-a']);
  // slot_search_setup: the aggregation request with the test RPPS, a 200 Bundle.
  const at = (ms: number) => formatFhirInstant(ms, 'Europe/Paris');
  const search = await sas('GET', `/fhir/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor&_include=Slot:service-type-reference&_include:iterate=HealthcareService:organization&start=ge${at(Date.now())}&start=le${at(start + 86_400_000)}&schedule.actor:Practitioner.identifier=${IDNPS}|8${pro.rpps}&status=free`);
  t.equal(search.status, 200, 'slot_search_setup: 200');
  t.equal(search.json.resourceType, 'Bundle');
  assertValidFhir(t, search.json, 'the Bundle with comments');
  // sso_without_origin: the comment of the first sas-cpts-slot-aggregator Slot.
  const comments = search.json.entry.map((e: any) => e.resource)
    .filter((r: any) => r.meta?.profile?.includes('https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-slot-aggregator')).map((r: any) => r.comment);
  t.ok(comments.length > 0 && comments.every((c: unknown) => typeof c === 'string'), 'sso_without_origin: a comment on every Slot');
  const ssoUrl: string = comments[0];
  t.match(ssoUrl, new RegExp(`^${service.url}/app/regulation\\?creneau=[0-9a-f-]{36}$`), 'PUBLIC_BASE_URL + the Régulation page of that slot');
  for (const url of [ssoUrl, `${ssoUrl}&origin=sas-preprod`]) {
    // The kit's HTTP client follows redirects, with no cookie.
    const answer = await followAsBrowser(url);
    const type = answer.headers.get('content-type') ?? '';
    const html = answer.text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    t.ok(type.includes('text/html'), `${url.includes('origin') ? 'sso_while_unidentified' : 'sso_without_origin'}: HTML (${type})`);
    const isSpa = /<div id="app"|<script[^>]+src="[^"]*(app|chunk)|<noscript/.test(html);
    t.notOk(isSpa, 'not a page the kit would skip as a script-only application: the server sends the login itself');
    t.ok(['connexion', 'se connecter', 'mot de passe', 'identifiant'].some((w) => html.includes(w)), 'found_login: a login page');
    // The kit then looks for Pro Santé Connect's own page (« Ministère de la Santé et de la prévention »):
    // with OIDC_ISSUER set to PSC that is PSC's page; here, the embedded provider's, under /oidc.
    t.match(answer.url, `${service.url}/oidc/`, 'the OpenID provider\'s login page (PSC in production)');
  }
  // A link to a slot that does not exist is no error without a session (the login first), and 404-free HTML.
  const unknown = await followAsBrowser(`${service.url}/app/regulation?creneau=${randomUUID()}`, 0);
  t.equal(unknown.status, 302, 'without a session, any booking link goes to the login first');
  t.match(unknown.headers.get('location'), /^\/app\/auth\/login\?next=%2Fapp%2Fregulation%3Fcreneau%3D/, 'and comes back to the slot after it');
});
