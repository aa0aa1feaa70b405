// Hostile input on every HTTP operation of the OpenAPI document (/v1 and /fhir)
// of a real service process (SPEC §5: every malformed or hostile input gets a
// 4xx with a machine-readable error, never a 5xx, never a crash). A control
// client keeps matching meanwhile and must be served every time. The number of
// inputs tried per operation is printed (FUZZ_RUNS per operation, default 50;
// FUZZ_SEED to replay a run; FUZZ_ONLY=regex on "METHOD /path" to focus).
import { sql } from 'kysely';
import fc from 'fast-check';
import t from 'tap';
import { createClient, revokeClient } from '../src/auth/clients.js';
import { briefly, startCluster } from './helpers/cluster.js';
import { migratedDatabase } from './helpers/database.js';
import { addBooking, addHold, addSlots, COMMUNES, soon, tokenFor, world } from './helpers/fixtures.js';
import { operationsOf, requestFor, send, verdict, type Credentials } from './helpers/openapi-fuzz.js';
import { http } from './helpers/service.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const PARALLEL = 3;

t.test('every HTTP operation under hostile input', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  await sql`update territories set organisation_identifier = case id when 'terr-a' then '1690000010' else '1170000012' end`.execute(db.db);
  const slots = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 30 });
  const slotsB = await addSlots(db.db, w.b.pros[0]!, { start: soon(), count: 5 });
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const clients = {
    regulator, pharmacist: await tokenFor(db.db, 'pharmacist', ['terr-a']), coordinator: await tokenFor(db.db, 'coordinator', ['terr-a']),
    coordinatorB: await tokenFor(db.db, 'coordinator', ['terr-b']), professional: await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps),
  };
  const booking = await addBooking(db.db, { slotId: slots[0]!, clientId: regulator.id });
  const hold = await addHold(db.db, { slotId: slots[1]!, clientId: regulator.id });
  const expired = await createClient(db.db, { role: 'regulator', territories: ['terr-a'], expiresAt: new Date(Date.now() - 60_000) });
  const revoked = await createClient(db.db, { role: 'regulator', territories: ['terr-a'] });
  await revokeClient(db.db, revoked.id);
  const control = await tokenFor(db.db, 'regulator', ['terr-a']);

  const credentials: Credentials = { valid: Object.values(clients).map((c) => c.token), refused: [expired.token, revoked.token] };
  const pros = [...w.a.pros, ...w.b.pros];
  const known = {
    uuids: [...slots.slice(0, 6), ...slotsB.slice(0, 2), booking, hold, ...pros.map((p) => p.id), ...pros.map((p) => p.siteId), regulator.id],
    strings: ['terr-a', 'terr-b', COMMUNES.venissieux.code, COMMUNES.royan.code, ...pros.map((p) => p.rpps)],
  };

  const cluster = await startCluster(t, { databaseUrl: db.url, instances: 1, env: { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' } });
  const instance = cluster.instances[0]!;
  const docs = await http(instance, 'GET', '/docs/json');
  const only = process.env.FUZZ_ONLY === undefined ? null : new RegExp(process.env.FUZZ_ONLY);
  const operations = operationsOf(docs.json).filter((op) => only === null || only.test(`${op.method} ${op.path}`));
  t.ok(only !== null || operations.length >= 30, `${operations.length} operations in the OpenAPI document`);

  // The control client: an ordinary match every 50 ms, all along.
  const controlAnswers: number[] = [];
  let fuzzing = true;
  const controlLoop = (async () => {
    while (fuzzing) {
      const answer = await http(instance, 'POST', '/v1/match', { token: control.token, body: { commune: COMMUNES.venissieux.code } }).catch(() => ({ status: 0 }));
      controlAnswers.push(answer.status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();

  const tally = new Map<string, { tried: number; notSent: number; slow: number; byClass: Record<string, number> }>();
  const failures: string[] = [];
  const undocumented = new Map<string, string>(); // "METHOD /path status" → a request that got it
  const fuzz = async (op: (typeof operations)[number]) => {
    const name = `${op.method} ${op.path}`;
    const counts = { tried: 0, notSent: 0, slow: 0, byClass: {} as Record<string, number> };
    tally.set(name, counts);
    const runs = op.path === '/fhir/Slot' ? RUNS * 3 : RUNS; // the SAS search is the FHIR surface that matters most
    const result = await fc.check(fc.asyncProperty(requestFor(op, known, credentials), async (request) => {
      let answer = await send(instance.url, request);
      // A slow answer on a busy machine is not a dropped one: once more, with patience, and counted.
      if (answer.timedOut) { counts.slow++; answer = await send(instance.url, request, 90_000); }
      if (answer.status === -1) { counts.notSent++; return true; }
      counts.tried++;
      const cls = `${Math.floor(answer.status / 100)}xx`;
      counts.byClass[cls] = (counts.byClass[cls] ?? 0) + 1;
      if (!op.statuses.includes(answer.status) && !undocumented.has(`${name} ${answer.status}`)) {
        undocumented.set(`${name} ${answer.status}`, `${name} ${answer.status}, e.g. to ${JSON.stringify(request).slice(0, 300)}: ${answer.body.slice(0, 200)}`);
      }
      return verdict(request.path, answer, op) === null;
    }), { numRuns: runs, seed: SEED, interruptAfterTimeLimit: 120_000 }); // shrinking a slow failure must not run forever
    if (result.failed) {
      const example = result.counterexample?.[0];
      const answer = example ? await send(instance.url, example) : undefined;
      failures.push(`${name}: ${answer ? verdict(example!.path, answer, op) : result.errorInstance}\n  request: ${JSON.stringify(example).slice(0, 600)}`);
    }
  };
  const queue = [...operations];
  try {
    await Promise.all(Array.from({ length: PARALLEL }, async () => {
      for (let op = queue.shift(); op !== undefined; op = queue.shift()) {
        await fuzz(op).catch((error: Error) => { failures.push(`${op.method} ${op.path}: the fuzzer itself failed: ${error.stack}`); });
      }
    }));
  } finally {
    fuzzing = false;
    await controlLoop;
  }

  let total = 0;
  const classes: Record<string, number> = {};
  for (const [name, counts] of tally) {
    total += counts.tried;
    for (const [cls, n] of Object.entries(counts.byClass)) classes[cls] = (classes[cls] ?? 0) + n;
    t.comment(`${name.padEnd(48)} ${String(counts.tried).padStart(5)} inputs  ${JSON.stringify(counts.byClass)}${counts.notSent ? `  (${counts.notSent} not sendable by fetch)` : ''}${counts.slow ? `  (${counts.slow} over 15 s)` : ''}`);
  }
  t.comment(`total: ${total} hostile HTTP inputs over ${tally.size} operations (seed ${SEED}): ${JSON.stringify(classes)}`);
  t.same(failures, [], `no 5xx, no dropped connection, every 4xx problem+json (OperationOutcome under /fhir), every success in its documented media type (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})`);
  t.equal(classes['5xx'] ?? 0, 0, 'no 5xx at all');
  t.same([...undocumented.values()], [], 'every status answered is one the OpenAPI document gives for its operation');
  t.ok(controlAnswers.length > 10 && controlAnswers.every((s) => s === 200), `the control client was served throughout (${controlAnswers.length} matches, all 200)`);
  t.ok(instance.running && instance.exits.length === 0, 'the service never crashed');
  t.same(instance.errors().map(briefly), [], `and logged no error (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})`);
});
