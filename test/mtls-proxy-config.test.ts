// Mutual TLS behind a reverse proxy (the proxy verifies the certificate and
// passes it URL-encoded in X-SSL-Client-Cert, trusted only from
// TLS_CLIENT_CERT_PROXIES), and the TLS_* variables' refusals: one line naming
// the variable, exit 2, before any database work.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { loadConfig } from '../src/config.js';
import { checkTlsOptions } from '../src/server/tls-options.js';
import { migratedDatabase } from './helpers/database.js';
import { tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';
import { registerCertificate, testPki } from './helpers/tls-service.js';

const pki = testPki();
/** What nginx sends for $ssl_client_escaped_cert. */
const escaped = (pem: string) => encodeURIComponent(pem);

t.test('a certificate forwarded by a configured proxy authenticates; from anyone else the header is refused', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  await registerCertificate(db.db, pki.good, 'regulator', ['terr-a']);
  await registerCertificate(db.db, pki.revoked, 'regulator', ['terr-a']);
  const behindProxy = await startTestService(t, db.url, { TLS_CLIENT_CERT_PROXIES: '127.0.0.1, ::1', TLS_CLIENT_CA_FILE: pki.caFile });
  const match = (headers: Record<string, string>) => http(behindProxy, 'POST', '/v1/match', { headers, body: { territory: 'terr-a' } });

  t.equal((await match({ 'x-ssl-client-cert': escaped(pki.good.certPem) })).status, 200, 'the registered certificate, from the proxy: served');
  t.equal((await match({ 'x-ssl-client-cert': escaped(pki.good.certPem), 'x-ssl-client-verify': 'SUCCESS' })).status, 200, 'with the proxy saying it verified it');
  const fhir = await http(behindProxy, 'GET', '/fhir/Practitioner?identifier=urn:oid:1.2.250.1.71.4.2.1|810001288385', { headers: { 'x-ssl-client-cert': escaped(pki.good.certPem) } });
  t.equal(fhir.status, 200, 'and /fhir');
  for (const [what, headers, detail] of [
    ['the proxy says verification failed', { 'x-ssl-client-cert': escaped(pki.good.certPem), 'x-ssl-client-verify': 'FAILED:certificate revoked' }, /did not verify/],
    ['a certificate nobody registered (wrong CN)', { 'x-ssl-client-cert': escaped(pki.wrongCn.certPem) }, /not registered/],
    ['issued by another CA', { 'x-ssl-client-cert': escaped(pki.otherCa.certPem) }, /not issued by an accepted authority/],
    ['expired', { 'x-ssl-client-cert': escaped(pki.expired.certPem) }, /CERT_HAS_EXPIRED/],
    ['not a certificate', { 'x-ssl-client-cert': 'hello%' }, /URL-encoded PEM/],
  ] as const) {
    const answer = await match(headers);
    t.equal(answer.status, 401, `${what}: 401`);
    t.match(answer.json.detail, detail, `${what}: says why`);
  }
  const { token } = await tokenFor(db.db, 'regulator', ['terr-a']);
  t.equal((await http(behindProxy, 'POST', '/v1/match', { token, body: { territory: 'terr-a' } })).status, 200, 'bearer tokens keep working');

  const elsewhere = await startTestService(t, db.url, { TLS_CLIENT_CERT_PROXIES: '10.9.9.9' });
  const forged = await http(elsewhere, 'POST', '/v1/match', { headers: { 'x-ssl-client-cert': escaped(pki.good.certPem) }, body: { territory: 'terr-a' } });
  t.equal(forged.status, 401, 'the header from an address that is not a configured proxy: 401');
  t.match(forged.json.detail, /configured proxies only/);
  const fhirForged = await http(elsewhere, 'GET', '/fhir/Practitioner?identifier=urn:oid:1.2.250.1.71.4.2.1|810001288385', { headers: { 'x-ssl-client-cert': escaped(pki.good.certPem) } });
  t.equal(fhirForged.status, 401, 'on /fhir too');
  t.equal(fhirForged.json.resourceType, 'OperationOutcome', 'as an OperationOutcome');
});

t.test('TLS variables: one line naming the variable', async (t) => {
  const base = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
  const refusal = (env: Record<string, string>) => {
    try {
      checkTlsOptions(loadConfig({ ...base, ...env }));
      return 'accepted';
    } catch (error) {
      return (error as Error).message;
    }
  };
  t.match(refusal({ TLS_CERT_FILE: '/no/such.pem', TLS_KEY_FILE: pki.server.key }), /^invalid configuration: TLS_CERT_FILE: not a readable file/);
  t.match(refusal({ TLS_CERT_FILE: pki.server.cert }), /^invalid configuration: TLS_KEY_FILE: required with TLS_CERT_FILE/);
  t.match(refusal({ TLS_CERT_FILE: pki.server.cert, TLS_KEY_FILE: pki.good.key }), /^invalid configuration: TLS_KEY_FILE: unusable \(.*key values mismatch/, 'a key that is not the certificate\'s');
  const broken = join(pki.dir, 'broken-ca.pem');
  writeFileSync(broken, `${pki.caPem}-----BEGIN CERTIFICATE-----\nMIIBroken\n-----END CERTIFICATE-----\n`);
  t.match(refusal({ TLS_CERT_FILE: pki.server.cert, TLS_KEY_FILE: pki.server.key, TLS_CLIENT_CA_FILE: broken }), /^invalid configuration: TLS_CLIENT_CA_FILE: unusable/, 'a CA bundle with a broken certificate');
  t.match(refusal({ TLS_CERT_FILE: pki.server.key, TLS_KEY_FILE: pki.server.key }), /^invalid configuration: TLS_CERT_FILE: .* holds no PEM CERTIFICATE/);
  t.match(refusal({ TLS_CLIENT_CA_FILE: pki.caFile }), /^invalid configuration: TLS_CLIENT_CA_FILE: needs TLS_CERT_FILE/);
  t.match(refusal({ TLS_CERT_FILE: pki.server.cert, TLS_KEY_FILE: pki.server.key, TLS_CLIENT_CA_FILE: pki.caFile, TLS_CRL_FILE: pki.caFile }), /^invalid configuration: TLS_CRL_FILE: .* holds no PEM X509 CRL/);
  t.match(refusal({ TLS_CLIENT_CERT_PROXIES: '10.0.0.1, nginx' }), /^invalid configuration: TLS_CLIENT_CERT_PROXIES: "nginx" is not an IP address or CIDR/);
  t.equal(refusal({ TLS_CERT_FILE: pki.server.cert, TLS_KEY_FILE: pki.server.key, TLS_CLIENT_CA_FILE: pki.caFile, TLS_CRL_FILE: pki.crlFile }), 'accepted', 'control: the right files');

  const garbage = join(pki.dir, 'garbage.pem');
  writeFileSync(garbage, '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n');
  const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...base, PORT: '0', TLS_CERT_FILE: garbage, TLS_KEY_FILE: pki.server.key },
  }).then(() => ({ code: 0, stderr: '' }), (error) => error);
  t.equal(run.code, 2, 'the service exits 2');
  const lines = String(run.stderr).trim().split('\n');
  t.equal(lines.length, 1, 'one line');
  t.match(lines[0], /^invalid configuration: TLS_CERT_FILE: unusable \(.*bad base64 decode/, 'naming the variable');
});
