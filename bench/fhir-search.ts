// GET /fhir/Slot, the SAS search (issue 7: "well under the 1 second the SAS
// certification allows"), for 25 practitioners with a national-scale data set
// loaded. Everything is real: the data set is generated into a fresh embedded
// PostgreSQL (or a new database on DATABASE_URL) by scripts/generate-dataset.ts,
// the service starts on it (index loaded by the sync, as in production), and
// the searches go over HTTP on a socket. The HTTP client runs in the same
// process as the server (its socket reads count, its parsing is skipped).
// It prints numbers; it never asserts on them.
//
// Then the same searches over HTTPS with mutual TLS, as the SAS sends them (a
// client certificate registered as the API client, no token; issue 14), on a
// second service started on the same data set: the same-run ratio is the cost
// of TLS. Both use Node's http/https client with keep-alive connections.
//
//   node --expose-gc --import tsx bench/fhir-search.ts           # 1,000,000 slots, 50,000 professionals, 500 CPTS
//   node --expose-gc --import tsx bench/fhir-search.ts --quick   # 20,000 slots (CI)
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { sql } from 'kysely';
import { createCertificateClient } from '../src/auth/certificate-clients.js';
import type { Service } from '../src/service.js';
import { testPki } from '../scripts/harness/tls-certs.js';
import { loadConfig } from '../src/config.js';
import { createClient } from '../src/auth/clients.js';
import { formatFhirInstant } from '../src/sas/resources/instant.js';
import { startService } from '../src/service.js';
import { generateDataset } from '../scripts/generate-dataset.js';
import { benchDatabase } from './lib/bench-database.js';
import { fmt, summarise, table } from './lib/stats.js';
import { postgresVersion, writeResults } from './lib/results.js';

const PRACTITIONERS = 25;
const INCLUDES = '_include=Slot:schedule&_include:iterate=Schedule:actor&_include=Slot:service-type-reference'
  + '&_include:iterate=HealthcareService:organization';

export interface FhirSearchResult {
  p50: number; p99: number; max: number; concurrentP99: number; slotsPerAnswer: number; kbPerAnswer: number; cpuMsPerRequest: number;
  /** The same over HTTPS with a client certificate (mutual TLS). */
  tls: { p50: number; p99: number; max: number; concurrentP99: number; cpuMsPerRequest: number };
}

interface Answer { status: number; body: Buffer }

/** GET over keep-alive connections (http, or https presenting a client certificate). */
function getter(service: Service, headers: Record<string, string>, tls?: { ca: string; cert: string; key: string }) {
  const agent = tls === undefined ? new HttpAgent({ keepAlive: true, maxSockets: 16 }) : new HttpsAgent({ keepAlive: true, maxSockets: 16, ...tls });
  const request = tls === undefined ? httpRequest : httpsRequest;
  const get = (path: string) => new Promise<Answer>((resolve, reject) => {
    request(new URL(path, service.url), { headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject).end();
  });
  return { get, close: () => agent.destroy() };
}

export async function run({ quick }: { quick: boolean }): Promise<FhirSearchResult> {
  const size = quick ? { territories: 20, professionals: 2_000, slots: 20_000 } : { territories: 500, professionals: 50_000, slots: 1_000_000 };
  const sequential = quick ? 200 : 2_000;
  const concurrent = { inFlight: 8, requests: quick ? 200 : 2_000 };

  const bench = await benchDatabase();
  try {
    let started = performance.now();
    const dataset = await generateDataset(bench.handle.db, size);
    // What the SAS profiles need and the generator leaves out: each CPTS's IDNST, each site's postal address.
    await sql`update territories set organisation_identifier = '1' || lpad((100000000 + row_number)::text, 9, '0')
      from (select id as tid, row_number() over (order by id) from territories) n where n.tid = territories.id`.execute(bench.handle.db);
    await sql`update sites set address = '1 place de la Mairie, ' || c.code || ' ' || c.name from communes c where c.code = sites.commune_code`.execute(bench.handle.db);
    process.stdout.write(`data set: ${size.slots.toLocaleString('en')} slots, ${size.professionals.toLocaleString('en')} professionals, ${size.territories} CPTS, generated in ${fmt((performance.now() - started) / 1000)} s\n`);

    started = performance.now();
    const pki = testPki();
    const baseEnv = {
      NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATABASE_URL: bench.url,
      // Measure the search, not the load shedding (the load leaves garbage a heap limit would count).
      RATE_LIMIT_PER_MINUTE: '1000000', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0', PRESSURE_MAX_HEAP_USED_BYTES: '0',
    } as const;
    // The SAS platform as one national client, scoped to every CPTS (the widest scope to check): a token, and its certificate.
    const { token } = await createClient(bench.handle.db, { role: 'regulator', territories: dataset.territoryIds, name: 'bench SAS' });
    await createCertificateClient(bench.handle.db, { role: 'regulator', territories: dataset.territoryIds, name: 'bench SAS (mTLS)' }, pki.good.certPem);

    // 25 practitioners of one CPTS, as the SAS asks after choosing a territory; the next 48 hours, as it searches.
    const byTerritory = new Map<string, string[]>();
    dataset.rpps.forEach((rpps, i) => {
      const territory = dataset.territoryIds[i % dataset.territoryIds.length]!;
      byTerritory.set(territory, [...(byTerritory.get(territory) ?? []), rpps]);
    });
    let seed = 42;
    const random = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
    const paths = Array.from({ length: 500 }, () => {
      const pool = byTerritory.get(dataset.territoryIds[Math.floor(random() * dataset.territoryIds.length)]!)!;
      const chosen = [...pool].sort(() => random() - 0.5).slice(0, PRACTITIONERS);
      const now = Date.now();
      return `/fhir/Slot?${INCLUDES}&start=ge${formatFhirInstant(now, 'Europe/Paris')}&start=le${formatFhirInstant(now + 48 * 3_600_000, 'Europe/Paris')}`
        + `&schedule.actor:Practitioner.identifier=${chosen.map((r) => `urn:oid:1.2.250.1.71.4.2.1|8${r}`).join(',')}&status=free`;
    });

    const measure = async (service: Service, client: ReturnType<typeof getter>) => {
      let slots = 0;
      let bytes = 0;
      let answers = 0;
      const get = async (i: number): Promise<number> => {
        const t0 = performance.now();
        const response = await client.get(paths[i % paths.length]!);
        const ms = performance.now() - t0;
        // The client reads only the head of the answer: its own decoding and parsing are not the server's cost.
        const head = response.body.subarray(0, 400).toString('utf8');
        if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${head}`);
        slots += Number(/"total":(\d+)/.exec(head)?.[1] ?? NaN);
        bytes += response.body.length;
        answers++;
        return ms;
      };
      for (let i = 0; i < (quick ? 50 : 300); i++) await get(i); // warm-up: JIT, connection, memoised instants
      (globalThis as { gc?: () => void }).gc?.();
      [slots, bytes, answers] = [0, 0, 0];
      const one = new Float64Array(sequential);
      const cpuBefore = process.cpuUsage();
      for (let i = 0; i < sequential; i++) one[i] = await get(i);
      const cpu = process.cpuUsage(cpuBefore);
      // CPU per request (server and client together): far less sensitive than wall time to a busy machine.
      const cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / sequential;
      const many: number[] = [];
      let next = 0;
      await Promise.all(Array.from({ length: concurrent.inFlight }, async () => {
        while (next < concurrent.requests) many.push(await get(next++));
      }));
      void service;
      return { seq: summarise(one), conc: summarise(many), cpuMsPerRequest, slotsPerAnswer: slots / answers, kbPerAnswer: bytes / answers / 1024 };
    };

    const startOn = async (env: Record<string, string>) => {
      const t0 = performance.now();
      const service = await startService(loadConfig({ ...baseEnv, ...env }));
      (globalThis as { gc?: () => void }).gc?.();
      process.stdout.write(`${service.url.split(':')[0]} service started, index loaded (${service.index.size.toLocaleString('en')} free slots) in ${fmt((performance.now() - t0) / 1000)} s; `
        + `heap ${fmt(process.memoryUsage().heapUsed / 1048576, 0)} MB\n`);
      return service;
    };
    const accept = { accept: 'application/fhir+json' };
    const plainService = await startOn({});
    const plainClient = getter(plainService, { ...accept, authorization: `Bearer ${token}` });
    const plain = await measure(plainService, plainClient).finally(async () => { plainClient.close(); await plainService.close(); });
    const tlsService = await startOn({ TLS_CERT_FILE: pki.server.cert, TLS_KEY_FILE: pki.server.key, TLS_CLIENT_CA_FILE: pki.caFile, TLS_CRL_FILE: pki.crlFile });
    const tlsClient = getter(tlsService, accept, { ca: pki.caPem, cert: pki.good.certPem, key: pki.good.keyPem });
    const tls = await measure(tlsService, tlsClient).finally(async () => { tlsClient.close(); await tlsService.close(); });

    const result: FhirSearchResult = {
      p50: plain.seq.p50, p99: plain.seq.p99, max: plain.seq.max, concurrentP99: plain.conc.p99,
      slotsPerAnswer: plain.slotsPerAnswer, kbPerAnswer: plain.kbPerAnswer, cpuMsPerRequest: plain.cpuMsPerRequest,
      tls: { p50: tls.seq.p50, p99: tls.seq.p99, max: tls.seq.max, concurrentP99: tls.conc.p99, cpuMsPerRequest: tls.cpuMsPerRequest },
    };
    process.stdout.write(`each answer: ${fmt(result.slotsPerAnswer)} Slots on average (plus their includes), ${fmt(result.kbPerAnswer)} KB; `
      + `CPU per request (server + client): ${fmt(plain.cpuMsPerRequest, 2)} ms HTTP + bearer, ${fmt(tls.cpuMsPerRequest, 2)} ms HTTPS + client certificate\n`);
    table([
      ['GET /fhir/Slot, 25 practitioners', 'requests', 'p50 ms', 'p99 ms', 'max ms'],
      ['HTTP + bearer, one at a time', plain.seq.n, fmt(plain.seq.p50, 2), fmt(plain.seq.p99, 2), fmt(plain.seq.max, 2)],
      [`HTTP + bearer, ${concurrent.inFlight} in flight`, plain.conc.n, fmt(plain.conc.p50, 2), fmt(plain.conc.p99, 2), fmt(plain.conc.max, 2)],
      ['mTLS, one at a time', tls.seq.n, fmt(tls.seq.p50, 2), fmt(tls.seq.p99, 2), fmt(tls.seq.max, 2)],
      [`mTLS, ${concurrent.inFlight} in flight`, tls.conc.n, fmt(tls.conc.p50, 2), fmt(tls.conc.p99, 2), fmt(tls.conc.max, 2)],
    ]);
    process.stdout.write(`mTLS / HTTP (same run): p50 ${fmt(tls.seq.p50 / plain.seq.p50, 2)}×, p99 ${fmt(tls.seq.p99 / plain.seq.p99, 2)}×, CPU ${fmt(tls.cpuMsPerRequest / plain.cpuMsPerRequest, 2)}×; SAS certification limit: 1000 ms\n`);
    writeResults('fhir-search', quick, {
      postgres: await postgresVersion(bench.url),
      figures: {
        slots: size.slots, p50: result.p50, p99: result.p99, max: result.max, concurrentP99: result.concurrentP99, concurrentP50: plain.conc.p50,
        slotsPerAnswer: result.slotsPerAnswer, kbPerAnswer: result.kbPerAnswer, cpuMsPerRequest: result.cpuMsPerRequest,
        tlsP50: tls.seq.p50, tlsP99: tls.seq.p99, tlsMax: tls.seq.max, tlsConcurrentP50: tls.conc.p50, tlsConcurrentP99: tls.conc.p99, tlsCpuMsPerRequest: tls.cpuMsPerRequest,
      },
      baselines: {}, // the SAS certification limit (1 s) is the yardstick here, not a same-run baseline
      guarded: {},
    });
    return result;
  } finally {
    await bench.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run({ quick: process.argv.includes('--quick') });
}
