// The SAS certification kit's security groups (ansforge/interop-outil-fhir-sas-test-kit,
// lib/sas_test_kit/tls_test_suite.rb, tls_version_test.rb, mtls_group.rb),
// reproduced over real TLS on a real service with certificates made by the
// test (test/helpers/tls-certs.ts), each kit assertion a test assertion:
//  - "Test TLS": TLS 1.0 and 1.1 refused, 1.2 (and 1.3) accepted, never an error on an allowed version;
//  - "Tests connexion MTLS": a valid certificate gets a 200 on the kit's Slot
//    search; a wrong CN, a wrong OU, a revoked certificate and no certificate
//    get a TLS error or a 4xx. Beyond the kit (issue 14/15): expired, another
//    CA, a revoked API client, WebSockets authenticated by the certificate and
//    closed at the credential's end, bearer tokens still working over TLS.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type SecureVersion } from 'node:tls';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import t, { type Test } from 'tap';
import { revokeClient } from '../src/auth/clients.js';
import { formatFhirInstant } from '../src/sas/resources/instant.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { registerCertificate, startTlsTestService, testPki, tlsAgent, tlsRequest } from './helpers/tls-service.js';
import { TestSocket } from './helpers/ws-client.js';

const IDNPS = 'urn:oid:1.2.250.1.71.4.2.1';
const KIT_ACCEPT = { accept: 'application/json+fhir', 'content-type': 'application/json' };
const pki = testPki();

/** The kit's mTLS search (build_params, ig_launch_2): includes, free, a window, two practitioners (one the kit's own). */
function kitSearch(rpps: string, from: number, until: number): string {
  const at = (ms: number) => encodeURIComponent(formatFhirInstant(ms, 'Europe/Paris'));
  return `/fhir/Slot?_include=Slot:schedule&_include=Slot:service-type-reference&_include:iterate=Schedule:actor`
    + `&_include:iterate=HealthcareService:organization&status=free&start=ge${at(from)}&start=le${at(until)}`
    + `&schedule.actor:Practitioner.identifier=${encodeURIComponent(`${IDNPS}|8${rpps},${IDNPS}|810001288385`)}`;
}

/** The kit's verdict on a refused configuration: a TLS error, or a 4xx — and, ours, never a Slot. */
async function refused(t: Test, attempt: Promise<{ status: number; json: any; text: string }>, what: string): Promise<void> {
  const outcome = await attempt.then((answer) => answer, (error: NodeJS.ErrnoException) => error);
  if (outcome instanceof Error) {
    t.match(outcome.code ?? outcome.message, /SSL|TLS|ECONNRESET|EPIPE/, `${what}: refused at the TLS layer`);
    return;
  }
  t.ok(outcome.status >= 400 && outcome.status < 500, `${what}: a 4xx (got ${outcome.status})`);
  t.equal(outcome.status, 401, `${what}: 401`);
  t.equal(outcome.json?.resourceType, 'OperationOutcome', `${what}: an OperationOutcome`);
  t.notMatch(outcome.text, /"resourceType":"(Slot|Schedule|Practitioner)"/, `${what}: no data`);
}

/** `probe`'s value once it equals `wanted`, or its last value after `withinMs`. */
async function eventually<T>(probe: () => Promise<T>, wanted: T, withinMs: number): Promise<T> {
  const until = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value === wanted || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Which TLS versions a client willing to speak anything (SECLEVEL=0) gets through with. */
async function handshake(port: number, version: SecureVersion): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port, ca: pki.caPem, servername: 'localhost', minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' });
  try {
    await once(socket, 'secureConnect');
    return `ok ${socket.getProtocol()}`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  } finally {
    socket.destroy();
  }
}

t.test('the kit\'s TLS and mTLS groups', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const start = soon(60);
  await addSlots(db.db, pro, { start, count: 3 });
  // The CPTS needs its identifier (IDNST) to be published to the SAS.
  await sql`update territories set organisation_identifier = case id when 'terr-a' then '1690000010' else '1170000012' end`.execute(db.db);
  const service = await startTlsTestService(t, db.url, { TLS_RELOAD_CHECK_MS: '200' });
  await service.sync.catchUp();
  t.match(service.url, /^https:\/\//, 'the service says it serves HTTPS');
  const search = kitSearch(pro.rpps, start - 60_000, start + 6 * 3_600_000);

  await t.test('Test TLS: only TLS 1.2 and above', async (t) => {
    // Control: this client can speak TLS 1.0 and 1.1 to a server that allows them, so a refusal below is the service's.
    const lax = createServer({ cert: pki.server.certPem, key: pki.server.keyPem, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (s) => s.end());
    lax.listen(0, '127.0.0.1');
    await once(lax, 'listening');
    const laxPort = (lax.address() as { port: number }).port;
    t.equal(await handshake(laxPort, 'TLSv1.1'), 'ok TLSv1.1', 'control: the client can speak TLS 1.1');
    lax.close();

    const port = Number(new URL(service.url).port);
    for (const version of ['TLSv1', 'TLSv1.1'] as const) {
      t.equal(await handshake(port, version), 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', `${version} refused by the server (protocol version alert)`);
    }
    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) t.equal(await handshake(port, version), `ok ${version}`, `${version} accepted`);
    const metadata = await tlsRequest(service, 'GET', '/fhir/metadata', { headers: KIT_ACCEPT, maxVersion: 'TLSv1.2' });
    t.equal(metadata.status, 200, 'a request over TLS 1.2 is served (the capability statement, which needs no credential)');
  });

  const good = await registerCertificate(db.db, pki.good, 'regulator', ['terr-a']);
  // Registered like the good one: what refuses them is the CRL and the clock, not a missing registration.
  await registerCertificate(db.db, pki.revoked, 'regulator', ['terr-a']);

  await t.test('Test certificat valide: 200, the slots', async (t) => {
    const answer = await tlsRequest(service, 'GET', search, { client: pki.good, headers: KIT_ACCEPT });
    t.equal(answer.status, 200, 'Expected status to be 200');
    t.equal(answer.json.resourceType, 'Bundle');
    t.equal(answer.json.entry.filter((e: any) => e.resource.resourceType === 'Slot').length, 3, 'the practitioner\'s three free slots');
  });

  await t.test('Test certificat mauvais cname: a TLS error or a 4xx', async (t) => {
    await refused(t, tlsRequest(service, 'GET', search, { client: pki.wrongCn, headers: KIT_ACCEPT }), 'wrong CN');
  });
  await t.test('Test certificat mauvais OU: a TLS error or a 4xx', async (t) => {
    await refused(t, tlsRequest(service, 'GET', search, { client: pki.wrongOu, headers: KIT_ACCEPT }), 'wrong OU');
  });
  await t.test('Test certificat revoqué: a TLS error or a 4xx', async (t) => {
    const answer = await tlsRequest(service, 'GET', search, { client: pki.revoked, headers: KIT_ACCEPT });
    await refused(t, Promise.resolve(answer), 'revoked (CRL)');
    t.match(answer.json.issue[0].diagnostics, /CERT_REVOKED/, 'says the CRL revoked it');
  });
  await t.test('Test sans certificat: a TLS error or a 4xx', async (t) => {
    await refused(t, tlsRequest(service, 'GET', search, { headers: KIT_ACCEPT }), 'no certificate');
  });

  await t.test('beyond the kit: expired, another CA, a bearer token beside a bad certificate', async (t) => {
    const expired = await tlsRequest(service, 'GET', search, { client: pki.expired, headers: KIT_ACCEPT });
    await refused(t, Promise.resolve(expired), 'expired');
    t.match(expired.json.issue[0].diagnostics, /CERT_HAS_EXPIRED/);
    await refused(t, tlsRequest(service, 'GET', search, { client: pki.otherCa, headers: KIT_ACCEPT }), 'issued by another CA');
    const { token } = await tokenFor(db.db, 'regulator', ['terr-a']);
    await refused(t, tlsRequest(service, 'GET', search, { client: pki.otherCa, token, headers: KIT_ACCEPT }), 'a valid token does not rescue a refused certificate');
    const bearer = await tlsRequest(service, 'GET', search, { token, headers: KIT_ACCEPT });
    t.equal(bearer.status, 200, 'a bearer-token client without a certificate keeps working over TLS');
    const v1 = await tlsRequest(service, 'POST', '/v1/match', { client: pki.good, body: { territory: 'terr-a' } });
    t.equal(v1.status, 200, 'the certificate authenticates /v1 too');
    t.ok(v1.json.candidates.length > 0);
    // The fingerprint alone is not enough: the registered issuer and subject must match the presented ones.
    const tampered = await registerCertificate(db.db, pki.wrongOu, 'regulator', ['terr-a']);
    // Refused a moment ago (remembered as unknown); its registration is announced (sql/014), heard within moments.
    t.equal(await eventually(async () => (await tlsRequest(service, 'GET', search, { client: pki.wrongOu, headers: KIT_ACCEPT })).status, 200, 1_000), 200,
      'control: the wrong-OU certificate, once registered, is served within 1 s');
    await db.db.updateTable('api_client_certificates').set({ subject_ou: 'SAS' }).where('client_id', '=', tampered.id).execute();
    await db.db.updateTable('api_clients').set({ name: 'tampered' }).where('id', '=', tampered.id).execute(); // NOTIFY: caches forget it
    t.equal(await eventually(async () => (await tlsRequest(service, 'GET', search, { client: pki.wrongOu, headers: KIT_ACCEPT })).status, 401, 1_000), 401, 'refused once the change is heard');
    await refused(t, tlsRequest(service, 'GET', search, { client: pki.wrongOu, headers: KIT_ACCEPT }), 'a registration whose OU differs from the presented one');
    await revokeClient(db.db, tampered.id);
    const elsewhere = await tlsRequest(service, 'POST', '/v1/match', { client: pki.good, body: { territory: 'terr-b' } });
    t.equal(elsewhere.status, 403, 'in the registered role and territories only');
  });

  await t.test('revoking the API client: the next request on the same TLS connection is a 401, its sockets close with 4401 within 1 s', async (t) => {
    const client = pki.shortLived('sas-revoked-later', 3_600);
    const { id } = await registerCertificate(db.db, client, 'regulator', ['terr-a']);
    const agent = tlsAgent(client);
    t.teardown(() => agent.destroy());
    t.equal((await tlsRequest(service, 'GET', search, { agent, headers: KIT_ACCEPT })).status, 200, 'served before');
    const socket = await TestSocket.open(service.url, '/v1/ws/counter', '', { tls: { ca: pki.caPem, cert: client.certPem, key: client.keyPem } });
    await socket.waitFor((m) => m.type === 'ready');
    t.equal((await socket.request({ id: 1, type: 'match', body: { territory: 'terr-a' } })).ok, true, 'the certificate authenticates the WebSocket upgrade');
    const revokedAt = Date.now();
    await revokeClient(db.db, id);
    const closed = await socket.closed;
    t.equal(closed.code, 4401, 'closed: credential revoked');
    t.ok(Date.now() - revokedAt < 1_000, `within 1 s (${Date.now() - revokedAt} ms)`);
    const after = await tlsRequest(service, 'GET', search, { agent, headers: KIT_ACCEPT });
    t.equal(after.status, 401, 'the same connection gets a 401 after the revocation');
  });

  await t.test('a certificate\'s end (notAfter) closes its sockets with 4401 within 1 s', async (t) => {
    const client = pki.shortLived('sas-short-lived', 3);
    await registerCertificate(db.db, client, 'regulator', ['terr-a']);
    const notAfter = new Date(new X509Certificate(client.certPem).validTo).getTime();
    const socket = await TestSocket.open(service.url, '/v1/ws/counter', '', { tls: { ca: pki.caPem, cert: client.certPem, key: client.keyPem } });
    await socket.waitFor((m) => m.type === 'ready');
    const closed = await socket.closed;
    const late = Date.now() - notAfter;
    t.equal(closed.code, 4401, 'closed: credential expired');
    t.ok(late >= -50 && late < 1_000, `at notAfter, within 1 s (${late} ms after)`);
    await refused(t, tlsRequest(service, 'GET', search, { client, headers: KIT_ACCEPT }), 'after its end');
  });

  await t.test('the CLI registers a certificate: prints its id, no token', async (t) => {
    const client = pki.shortLived('sas-cli', 3_600);
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/clients.ts', 'create', '--role', 'regulator', '--territory', 'terr-a', '--cert', client.cert],
      { env: { ...process.env, DATABASE_URL: db.url } });
    const printed = JSON.parse(run.stdout);
    t.same(Object.keys(printed), ['id'], 'only an id');
    const row = await db.db.selectFrom('api_clients').select(['token_hash', 'expires_at']).where('id', '=', printed.id).executeTakeFirstOrThrow();
    t.equal(row.token_hash, null, 'no token exists for it');
    t.ok(row.expires_at !== null, 'it expires with its certificate');
    t.equal((await tlsRequest(service, 'GET', search, { client, headers: KIT_ACCEPT })).status, 200, 'and it authenticates');
    const again = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/clients.ts', 'create', '--role', 'regulator', '--territory', 'terr-a', '--cert', client.cert],
      { env: { ...process.env, DATABASE_URL: db.url } }).then(() => null, (error) => error);
    t.equal(again?.code, 2, 'registering it twice is a usage error');
    t.match(again?.stderr, /already registered/);
  });
  await t.test('a CRL republished while the service runs: a newly revoked certificate is refused on new connections, no restart', async (t) => {
    const client = pki.shortLived('sas-crl-later', 3_600);
    await registerCertificate(db.db, client, 'regulator', ['terr-a']);
    t.equal((await tlsRequest(service, 'GET', search, { client, headers: KIT_ACCEPT })).status, 200, 'served before');
    pki.revoke(client);
    const refusedWithin = await eventually(async () => (await tlsRequest(service, 'GET', search, { client, headers: KIT_ACCEPT })).status, 401, 3_000);
    t.equal(refusedWithin, 401, 'refused once the CRL file is re-read');
    const answer = await tlsRequest(service, 'GET', search, { client, headers: KIT_ACCEPT });
    t.match(answer.json.issue[0].diagnostics, /CERT_REVOKED/);
    t.equal((await tlsRequest(service, 'GET', search, { client: pki.good, headers: KIT_ACCEPT })).status, 200, 'the good certificate still works');
  });
  t.ok(good.id);
});
