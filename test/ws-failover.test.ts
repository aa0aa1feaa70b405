// An instance dies (SIGKILL: no close frame, no cleanup): its professionals
// reconnect to another instance with ?after= their last ack and lose nothing,
// not even the booking the dead instance committed just before dying.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import t from 'tap';
import { nodeProcess } from '../scripts/harness/node-command.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { PATIENT } from './helpers/patients.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';
import { nodeArgs } from './helpers/service-process.js';

const ENV = { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' };
const patient = PATIENT;

/** A real service process on a free port; resolves with its URL once it serves. */
function spawnService(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const { command, args } = nodeProcess(nodeArgs('src/main.ts'));
  const child = spawn(command, args, {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, ...ENV, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'production', SEED_DEMO: 'false' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL')); // never outlives the test, even one that failed early
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('the service process did not start in 60 s')); }, 60_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the service process exited (${code})`)); });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'snp-match ready to serve' && entry.url !== undefined) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve({ child, url: entry.url });
        }
      } catch { /* not a log line */ }
    });
  });
}

t.test('SIGKILL of the instance a professional is connected to: it resumes on another, nothing lost, in order', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const slots = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 10 });
  // The child process boots while the in-process instance does.
  const [survivor, doomed] = await Promise.all([startTestService(t, db.url, ENV), spawnService(db.url)]);
  const exited = new Promise((resolve) => doomed.child.once('exit', resolve));
  t.teardown(async () => { doomed.child.kill('SIGKILL'); await exited; });
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const proToken = await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps);
  const book = async (service: { url: string }, slotId: string) => {
    const response = await http(service, 'POST', '/v1/bookings', { token: regulator.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId, patient } });
    t.equal(response.status, 201, 'booked');
    return response.json.booking.id as string;
  };

  const booked: string[] = [];
  const onDoomed = await TestSocket.open(doomed.url, '/v1/ws/professional', proToken.token);
  await onDoomed.waitFor((m) => m.type === 'ready');
  booked.push(await book(survivor, slots[0]!));
  const first = await onDoomed.waitFor((m) => m.booking?.id === booked[0]);
  await onDoomed.request({ id: 'ack-1', type: 'ack', eventId: first.eventId });
  const lastAcked = first.eventId as number;
  booked.push(await book(survivor, slots[1]!));
  await onDoomed.waitFor((m) => m.booking?.id === booked[1]); // received, not yet acked
  booked.push(await book(doomed, slots[2]!)); // committed by the instance about to die

  doomed.child.kill('SIGKILL');
  const cut = await onDoomed.closed;
  t.equal(cut.code, 1006, 'the connection just drops');
  await exited;

  // While the professional is offline.
  for (const slot of slots.slice(3, 6)) booked.push(await book(survivor, slot));

  const resumed = await TestSocket.open(survivor.url, `/v1/ws/professional?after=${lastAcked}`, proToken.token);
  t.teardown(() => resumed.close());
  await resumed.waitFor((m) => m.type === 'ready');
  for (const slot of slots.slice(6, 10)) booked.push(await book(survivor, slot));
  await resumed.waitFor(() => resumed.events().length === 9, 5_000, 'the 9 bookings after the ack');

  const received = resumed.events('booking.created');
  t.same(received.map((m) => m.booking.id), booked.slice(1), 'every booking after the last ack, in booking order: the unacked one, the dead instance\'s last, the offline ones, the live ones');
  t.same(received.map((m) => m.eventId), [2, 3, 4, 5, 6, 7, 8, 9, 10], 'consecutive event ids, none twice');
  const all = await db.db.selectFrom('events').select('seq').where('type', '=', 'booking.created').orderBy('seq').execute();
  t.same(all.map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'the outbox holds exactly these ten');
});
