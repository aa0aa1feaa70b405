// Hostile frames on the three WebSocket channels of a real service process
// (SPEC §5): every frame is answered — ok, or a 4xx problem body — never a 5xx,
// never a crash; an oversized frame closes that socket (1009) and nothing else.
// A control client keeps matching over its own counter socket meanwhile. The
// number of frames tried per channel is printed (WS_FUZZ_RUNS per socket, default 150).
import fc from 'fast-check';
import t from 'tap';
import { briefly, startCluster } from './helpers/cluster.js';
import { migratedDatabase } from './helpers/database.js';
import { addBooking, addSlots, COMMUNES, soon, tokenFor, world } from './helpers/fixtures.js';
import { http } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';
import { counterSchemas, frameFor, sendFrame } from './helpers/ws-fuzz.js';

const RUNS = Number(process.env.WS_FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
// Under the per-connection limit (20 messages/s): the fuzzer is refused for nothing but its input.
const PACE_MS = 60;

t.test('every WebSocket channel under hostile frames', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const pro = w.a.pros[0]!;
  const slots = await addSlots(db.db, pro, { start: soon(), count: 30 });
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const booking = await addBooking(db.db, { slotId: slots[0]!, clientId: regulator.id });
  const known = {
    uuids: [...slots.slice(0, 5), booking, pro.id, pro.siteId],
    strings: ['terr-a', 'terr-b', COMMUNES.venissieux.code, pro.rpps],
  };
  const cluster = await startCluster(t, { databaseUrl: db.url, instances: 1, env: { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' } });
  const instance = cluster.instances[0]!;
  const types = counterSchemas((await http(instance, 'GET', '/docs/json')).json);

  const surfaces = [
    { name: '/v1/ws/counter (pharmacist)', path: '/v1/ws/counter', token: (await tokenFor(db.db, 'pharmacist', ['terr-a'])).token },
    { name: '/v1/ws/counter (regulator)', path: '/v1/ws/counter', token: regulator.token },
    { name: '/v1/ws/professional', path: '/v1/ws/professional', token: (await tokenFor(db.db, 'professional', ['terr-a'], pro.rpps)).token },
    { name: '/v1/ws/coordinator', path: '/v1/ws/coordinator', token: (await tokenFor(db.db, 'coordinator', ['terr-a'])).token },
  ];

  // The control client: a match over its own counter socket every 200 ms, all along.
  const control = await TestSocket.open(instance.url, '/v1/ws/counter', (await tokenFor(db.db, 'regulator', ['terr-a'])).token);
  t.teardown(() => control.close());
  const controlAnswers: boolean[] = [];
  let fuzzing = true;
  const controlLoop = (async () => {
    for (let i = 0; fuzzing; i++) {
      const answer = await control.request({ id: `c${i}`, type: 'match', body: { commune: COMMUNES.venissieux.code } }, 10_000).catch(() => ({ ok: false }));
      controlAnswers.push(answer.ok === true);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();

  const tally: { name: string; frames: number; answered: Record<string, number>; reopened: number }[] = [];
  const failures: string[] = [];
  try {
    await Promise.all(surfaces.map(async (surface, k) => {
      const counts = { name: surface.name, frames: 0, answered: {} as Record<string, number>, reopened: 0 };
      tally.push(counts);
      let socket = await TestSocket.open(instance.url, surface.path, surface.token);
      let lastVerdict = '';
      const result = await fc.check(fc.asyncProperty(frameFor(types, known), async (frame) => {
        if (socket.socket.readyState !== socket.socket.OPEN) {
          socket = await TestSocket.open(instance.url, surface.path, surface.token);
          counts.reopened++;
        }
        await new Promise((resolve) => setTimeout(resolve, PACE_MS));
        const outcome = await sendFrame(socket.socket, frame);
        counts.frames++;
        if (outcome.verdict !== null) lastVerdict = outcome.verdict;
        const key = outcome.closed ? `closed ${outcome.closed.code}` : outcome.answer?.ok ? 'ok' : `${outcome.answer?.error?.status ?? '?'}`;
        counts.answered[key] = (counts.answered[key] ?? 0) + 1;
        return outcome.verdict === null;
      }), { numRuns: RUNS, seed: SEED + k, interruptAfterTimeLimit: 120_000 });
      await socket.close();
      if (result.failed) failures.push(`${surface.name}: ${lastVerdict}\n  frame: ${JSON.stringify(result.counterexample?.[0]).slice(0, 400)}`);
    }));
  } finally {
    fuzzing = false;
    await controlLoop;
  }

  let total = 0;
  for (const counts of tally) {
    total += counts.frames;
    t.comment(`${counts.name.padEnd(30)} ${String(counts.frames).padStart(5)} frames  ${JSON.stringify(counts.answered)}${counts.reopened ? `  (reconnected ${counts.reopened}×)` : ''}`);
  }
  t.comment(`total: ${total} hostile WebSocket frames over ${tally.length} sockets (seeds ${SEED}+0…${tally.length - 1})`);
  t.same(failures, [], `every frame answered: ok or a 4xx problem, never a 5xx; only an oversized frame closes its socket (1009) (replay: FUZZ_SEED=${SEED} WS_FUZZ_RUNS=${RUNS})`);
  t.ok(controlAnswers.length > 5 && controlAnswers.every(Boolean), `the control socket was served throughout (${controlAnswers.length} matches)`);
  t.ok(instance.running && instance.exits.length === 0, 'the service never crashed');
  t.same(instance.errors().map(briefly), [], `and logged no error (replay: FUZZ_SEED=${SEED} WS_FUZZ_RUNS=${RUNS})`);
});
