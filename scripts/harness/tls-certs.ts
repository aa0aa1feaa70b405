// Certificates made by a test or a bench with the openssl command line, as an operator
// would make them (README "Mutual TLS"): a CA, a server certificate for
// 127.0.0.1/localhost, client certificates — good, wrong CN, wrong OU, revoked
// (in the CA's CRL), expired, short-lived, and one from another CA — each a
// PEM certificate and key on disk. Made once per test process (EC P-256 keys:
// a few hundred milliseconds in all), in a temporary directory removed at exit.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertificateFiles {
  /** PEM certificate and key paths. */
  cert: string;
  key: string;
  /** Their contents, for TLS clients. */
  certPem: string;
  keyPem: string;
}

export interface TestPki {
  dir: string;
  /** The authority of accepted client certificates (TLS_CLIENT_CA_FILE), also the server certificate's issuer (clients trust it). */
  caFile: string;
  caPem: string;
  /** The CA's revocation list: holds `revoked` (TLS_CRL_FILE). */
  crlFile: string;
  server: CertificateFiles;
  /** CN=sas-client, OU=SAS: the one the tests register. */
  good: CertificateFiles;
  /** Same CA and OU, another CN. */
  wrongCn: CertificateFiles;
  /** Same CA and CN, another OU. */
  wrongOu: CertificateFiles;
  /** Issued by the CA, then revoked in its CRL. */
  revoked: CertificateFiles;
  /** Issued by the CA, valid until a moment ago. */
  expired: CertificateFiles;
  /** CN=sas-client, OU=SAS, issued by another CA. */
  otherCa: CertificateFiles;
  /** A new certificate from the CA valid for `seconds` from now (notAfter has a one-second resolution). */
  shortLived(name: string, seconds: number): CertificateFiles;
  /** Revokes a certificate of the CA and rewrites the CRL file (as an authority republishing it). */
  revoke(files: CertificateFiles): void;
}

const SUBJECT_PREFIX = '/C=FR/O=snp-match test';

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** YYYYMMDDHHMMSSZ, openssl ca's date form. */
function asn1Time(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

function caConfig(dir: string, name: string): string {
  const path = join(dir, `${name}.cnf`);
  writeFileSync(path, `[ca]
default_ca = ca_${name}
[ca_${name}]
dir = ${dir}
database = ${dir}/${name}-index.txt
new_certs_dir = ${dir}
serial = ${dir}/${name}-serial
crlnumber = ${dir}/${name}-crlnumber
certificate = ${dir}/${name}.pem
private_key = ${dir}/${name}.key
default_md = sha256
default_days = 30
default_crl_days = 30
policy = anything
unique_subject = no
copy_extensions = copy
[anything]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[client]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
[server]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
`);
  writeFileSync(join(dir, `${name}-index.txt`), '');
  writeFileSync(join(dir, `${name}-serial`), '1000\n');
  writeFileSync(join(dir, `${name}-crlnumber`), '1000\n');
  return path;
}

function makeCa(dir: string, name: string, cn: string): string {
  openssl(dir, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`,
    '-days', '30', '-subj', `${SUBJECT_PREFIX}/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  return caConfig(dir, name);
}

function issue(dir: string, config: string, name: string, subject: string, extensions: 'client' | 'server', validity: { start?: Date; end?: Date } = {}): CertificateFiles {
  openssl(dir, 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `${SUBJECT_PREFIX}${subject}`);
  const dates = [...(validity.start ? ['-startdate', asn1Time(validity.start)] : []), ...(validity.end ? ['-enddate', asn1Time(validity.end)] : [])];
  openssl(dir, 'ca', '-batch', '-config', config, '-extensions', extensions, '-notext', '-in', `${name}.csr`, '-out', `${name}.pem`, ...dates);
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  return { cert, key, certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

let made: TestPki | undefined;

export function testPki(): TestPki {
  if (made !== undefined) return made;
  const dir = mkdtempSync(join(tmpdir(), 'snp-pki-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const ca = makeCa(dir, 'ca', 'snp test CA');
  const other = makeCa(dir, 'other', 'another CA');
  const server = issue(dir, ca, 'server', '/CN=localhost', 'server');
  const good = issue(dir, ca, 'good', '/OU=SAS/CN=sas-client', 'client');
  const wrongCn = issue(dir, ca, 'wrong-cn', '/OU=SAS/CN=not-the-sas', 'client');
  const wrongOu = issue(dir, ca, 'wrong-ou', '/OU=Someone Else/CN=sas-client', 'client');
  const revoked = issue(dir, ca, 'revoked', '/OU=SAS/CN=sas-client-revoked', 'client');
  const now = Date.now();
  const expired = issue(dir, ca, 'expired', '/OU=SAS/CN=sas-client-expired', 'client', { start: new Date(now - 2 * 86_400_000), end: new Date(now - 3_600_000) });
  const otherCa = issue(dir, other, 'other-client', '/OU=SAS/CN=sas-client', 'client');
  openssl(dir, 'ca', '-config', ca, '-revoke', 'revoked.pem');
  openssl(dir, 'ca', '-config', ca, '-gencrl', '-out', 'ca.crl');
  made = {
    dir, caFile: join(dir, 'ca.pem'), caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'), crlFile: join(dir, 'ca.crl'),
    server, good, wrongCn, wrongOu, revoked, expired, otherCa,
    shortLived: (name, seconds) => issue(dir, ca, name, `/OU=SAS/CN=${name}`, 'client', { end: new Date(Date.now() + seconds * 1000) }),
    revoke: (files) => {
      openssl(dir, 'ca', '-config', ca, '-revoke', files.cert);
      openssl(dir, 'ca', '-config', ca, '-gencrl', '-out', 'ca.crl.new');
      renameSync(join(dir, 'ca.crl.new'), join(dir, 'ca.crl'));
    },
  };
  return made;
}
