// Overload sheds load at once with 503 + Retry-After (problem+json under /v1,
// OperationOutcome under /fhir) instead of queueing requests until they time
// out; liveness stays 200, readiness says why it is not ready, and service
// resumes when the pressure is gone.
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

const match = { territory: 'terr-a', limit: 1 };

t.test('heap over its threshold: every API route answers 503 with Retry-After; /healthz stays 200', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  // Any test process uses more than 1 MB of heap: under pressure from the first sample on.
  const service = await startTestService(t, db.url, { PRESSURE_MAX_HEAP_USED_BYTES: '1048576', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' });
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  await new Promise((resolve) => setTimeout(resolve, 700)); // one sample (500 ms)

  const refused = await http(service, 'POST', '/v1/match', { token: regulator.token, body: match });
  t.equal(refused.status, 503);
  t.match(refused.headers.get('content-type'), /^application\/problem\+json/);
  t.equal(refused.headers.get('retry-after'), '2', 'Retry-After in seconds');
  t.match(refused.json, { type: 'urn:problem:snp-match:overloaded', status: 503, detail: /heap in use/ });

  const fhir = await http(service, 'GET', '/fhir/Slot?status=free', { token: regulator.token });
  t.equal(fhir.status, 503, '/fhir too');
  t.equal(fhir.headers.get('retry-after'), '2');
  t.equal(fhir.json?.resourceType, 'OperationOutcome', 'as an OperationOutcome');

  t.equal((await http(service, 'GET', '/healthz')).status, 200, 'liveness stays 200: the process is fine, only busy');
  const ready = await http(service, 'GET', '/readyz');
  t.equal(ready.status, 503, 'readiness tells the load balancer to go elsewhere');
  t.same(ready.json.checks.load, { ready: false, detail: 'overloaded; shedding load' });
});

t.test('event loop lagging: 503s while it lags, served again after', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url, { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '50', PRESSURE_MAX_HEAP_USED_BYTES: '0' });
  await service.sync.catchUp();
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const served = async () => {
    for (let i = 0; i < 50; i++) {
      if ((await http(service, 'POST', '/v1/match', { token: regulator.token, body: match })).status === 200) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  };
  // The start itself (loading, compiling) may lag the loop past 50 ms for a sample.
  t.ok(await served(), 'served before');

  // The service runs in this process: keep its event loop busy 150 ms out of every ~160.
  const blocker = setInterval(() => { const until = performance.now() + 150; while (performance.now() < until); }, 10);
  const answers: { status: number; retryAfter: string | null; type: string | undefined }[] = [];
  const until = Date.now() + 3_000;
  while (Date.now() < until) {
    const answer = await http(service, 'POST', '/v1/match', { token: regulator.token, body: match });
    answers.push({ status: answer.status, retryAfter: answer.headers.get('retry-after'), type: answer.json?.type });
  }
  clearInterval(blocker);
  const shed = answers.filter((a) => a.status === 503);
  t.ok(shed.length > 0, `shed ${shed.length} of ${answers.length} requests while the loop lagged`);
  t.ok(shed.every((a) => a.retryAfter === '2' && a.type === 'urn:problem:snp-match:overloaded'), 'each a problem+json 503 with Retry-After');
  t.ok(answers.every((a) => a.status === 200 || a.status === 503), 'nothing else than served or shed');

  t.ok(await served(), 'served again once the loop is free');
  t.equal((await http(service, 'GET', '/readyz')).status, 200, 'and ready again');
});
