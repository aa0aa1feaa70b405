// The embedded PostgreSQL's lifecycle with real processes, as an operator meets it:
// one service per DATA_DIR (a second is refused and told who holds it), a bad HOST
// or a busy PORT refused before any work, a tool pointed at an empty DATA_DIR
// refused, a kill -9 survived (the orphan PostgreSQL adopted, then stopped), a tool
// sharing the running service's server, and Ctrl-C (SIGINT to the whole process
// group, as a terminal sends it) draining requests in flight before PostgreSQL stops.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import t, { type Test } from 'tap';
import { openDatabase } from '../src/db/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { nodeArgs, runService, runTool, type ServiceProcess } from './helpers/service-process.js';

const patient = { name: 'J. D.', phone: '+33 6 12 34 56 78' };
const IN_FLIGHT = 8;

const base = await mkdtemp(path.join(tmpdir(), 'snp-lifecycle-'));
await chmod(base, 0o755); // the postgres user must reach it when tests run as root
const dataDir = path.join(base, 'data');
const env = { DATA_DIR: dataDir, PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'info', MATERIALISE_DAYS: '1', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0', REQUEST_TIMEOUT_MS: '60000' };
const started: ServiceProcess[] = [];
t.teardown(async () => {
  for (const service of started) if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
  const postgres = await postmaster();
  if (postgres !== null && alive(postgres.pid)) process.kill(postgres.pid, 'SIGQUIT');
  await rm(base, { recursive: true, force: true });
});

/** A zombie (exited, not yet reaped by its new parent) counts as gone. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function postmaster(): Promise<{ pid: number; port: number } | null> {
  try {
    const lines = (await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return null;
  }
}

function start(extra: Record<string, string> = {}): ServiceProcess {
  const service = runService({ ...env, ...extra });
  started.push(service);
  return service;
}

function oneLine(t: Test, stderr: string, pattern: RegExp, message: string) {
  const lines = stderr.trim().split('\n');
  t.equal(lines.length, 1, `${message}: one line`, { stderr });
  t.match(lines[0], pattern, message);
  t.notMatch(stderr, /\n\s+at /, `${message}: no stack trace`);
}

let first: ServiceProcess;
let firstUrl = '';

t.test('a first start says what it does, then ready with the URL, /docs and the client command', async (t) => {
  first = start();
  const ready = await first.waitFor('snp-match ready to serve');
  firstUrl = String(ready.url);
  const messages = first.lines.map((l) => String(l.msg));
  t.ok(messages.some((m) => m.startsWith('initialising a new embedded PostgreSQL in ')), 'tells that it initialises the database');
  t.ok(messages.some((m) => m.startsWith('migrations applied')), 'tells the migrations');
  t.ok(messages.includes('slot index loaded'), 'tells the index is loaded');
  t.equal(ready.docs, `${firstUrl}/docs`);
  t.match(ready.createClient, /clients -- create --role/);
  t.equal((await fetch(`${firstUrl}/readyz`)).status, 200);
});

t.test('a second instance on the same DATA_DIR is refused, naming the holder and DATABASE_URL', async (t) => {
  const second = start();
  const { code } = await second.exited;
  t.equal(code, 2);
  oneLine(t, second.stderr(), new RegExp(`in use by snp-match service \\(pid ${first.pid},.*DATABASE_URL=`), 'the refusal');
  t.equal((await fetch(`${firstUrl}/readyz`)).status, 200, 'the first one is untouched');
});

t.test('bad HOST and busy PORT: one line naming the variable, exit 2, before any database work', async (t) => {
  const untouched = path.join(base, 'never-created');
  const badHost = start({ HOST: 'not-a-host.invalid', DATA_DIR: untouched });
  t.equal((await badHost.exited).code, 2);
  oneLine(t, badHost.stderr(), /^invalid configuration: HOST: "not-a-host.invalid" does not resolve/, 'bad HOST');
  const busy = start({ PORT: new URL(firstUrl).port, DATA_DIR: untouched });
  t.equal((await busy.exited).code, 2);
  oneLine(t, busy.stderr(), new RegExp(`^invalid configuration: PORT: port ${new URL(firstUrl).port} is already in use`), 'busy PORT');
  t.notOk(existsSync(untouched), 'no DATA_DIR was created');
});

t.test('a tool on a DATA_DIR without a database is refused, naming the path', async (t) => {
  const empty = path.join(base, 'elsewhere');
  const result = await runTool(nodeArgs('src/cli/clients.ts', 'create', '--role', 'regulator', '--territory', 'terr-a'), { DATA_DIR: empty });
  t.equal(result.code, 2);
  oneLine(t, result.stderr, new RegExp(`^clients: no database in DATA_DIR ${empty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*--create-database`), 'the refusal');
  t.equal(result.stdout, '', 'no token printed');
  t.notOk(existsSync(empty), 'nothing created');
});

t.test('as root, a DATA_DIR the postgres user cannot enter is named with the fix', { skip: process.getuid?.() !== 0 && 'only as root' }, async (t) => {
  const closed = path.join(base, 'closed');
  await mkdir(closed, { mode: 0o700 });
  const refused = start({ DATA_DIR: path.join(closed, 'data') });
  t.equal((await refused.exited).code, 1);
  oneLine(t, refused.stderr(), new RegExp(`postgres user .* cannot enter ${closed}, .*chmod o\\+x ${closed}`), 'the refusal');
});

let secondRun: ServiceProcess;
let slotIds: string[] = [];
let regulatorToken = '';

t.test('kill -9, then a start adopts the orphan PostgreSQL', async (t) => {
  first.child.kill('SIGKILL');
  await first.exited;
  const orphan = await postmaster();
  t.ok(orphan !== null && alive(orphan.pid), 'PostgreSQL outlived the killed service');
  // Data for the in-flight requests later, written while no service runs.
  const password = (await readFile(path.join(dataDir, 'pg-password'), 'utf8')).trim();
  const handle = openDatabase(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${orphan!.port}/snp`, { max: 2 });
  const w = await world(handle.db, { prosPerTerritory: 1 });
  slotIds = await addSlots(handle.db, w.a.pros[0]!, { start: soon(), count: IN_FLIGHT, minutes: 10 });
  regulatorToken = (await tokenFor(handle.db, 'regulator', ['terr-a'])).token;
  await handle.close();

  // At debug, so that each request's arrival is logged ("incoming request"): the Ctrl-C test below counts them.
  secondRun = start({ LOG_LEVEL: 'debug' });
  const ready = await secondRun.waitFor('snp-match ready to serve');
  t.ok(secondRun.lines.some((l) => String(l.msg).startsWith(`adopted the embedded PostgreSQL (pid ${orphan!.pid})`)), 'says it adopted the orphan');
  firstUrl = String(ready.url);
  t.equal((await fetch(`${firstUrl}/readyz`)).status, 200);
});

t.test('a tool beside the running service shares its server: its token works there', async (t) => {
  const result = await runTool(nodeArgs('src/cli/clients.ts', 'create', '--role', 'regulator', '--territory', 'terr-a', '--name', 'lifecycle'), { DATA_DIR: dataDir });
  t.equal(result.code, 0, result.stderr);
  const { token } = JSON.parse(result.stdout) as { token: string };
  const answer = await fetch(`${firstUrl}/v1/match`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ territory: 'terr-a' }) });
  t.equal(answer.status, 200, 'the service knows the token');
  t.ok(await postmaster() !== null, 'the service\'s PostgreSQL still runs after the tool ended');
});

t.test('Ctrl-C (SIGINT to the process group) with requests in flight: all complete, then PostgreSQL stops', async (t) => {
  const server = (await postmaster())!;
  const password = (await readFile(path.join(dataDir, 'pg-password'), 'utf8')).trim();
  // Row locks held from outside keep the bookings waiting inside PostgreSQL.
  const locker = new pg.Client({ connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${server.port}/snp` });
  await locker.connect();
  await locker.query('begin');
  await locker.query('select id from slots where id = any($1::uuid[]) for update', [slotIds]);
  const linesBefore = secondRun.lines.length;
  // In flight means received by the service (the "incoming request" line, at debug): a request
  // still on the wire when Ctrl-C comes meets a closing server, which is another case.
  const received = () => secondRun.lines.slice(linesBefore)
    .filter((l) => l.msg === 'incoming request' && (l.req as { url?: string } | undefined)?.url === '/v1/bookings').length;
  const inFlight = slotIds.map((slotId) => fetch(`${firstUrl}/v1/bookings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${regulatorToken}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ slotId, patient }),
  }).then((r) => r.status, (error: Error) => `${error.message}: ${String((error.cause as Error | undefined)?.message)}`));
  for (let i = 0; i < 200; i++) {
    const waiting = await locker.query(`select count(*)::int as n from pg_stat_activity where application_name = 'snp-match' and wait_event_type = 'Lock'`);
    if (waiting.rows[0].n >= 1 && received() === slotIds.length) break; // bookings commit in groups: one connection waits for all
    if (i === 199) t.comment(JSON.stringify((await locker.query(`select application_name, state, wait_event_type, left(query, 60) as q from pg_stat_activity`)).rows));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(-secondRun.pid, 'SIGINT'); // what a terminal's Ctrl-C does
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.ok(alive(server.pid), 'PostgreSQL did not get the Ctrl-C');
  await locker.query('commit');
  await locker.end();
  const statuses = await Promise.all(inFlight);
  t.same(statuses, slotIds.map(() => 201), `every request in flight completed (0 failed): ${JSON.stringify(statuses)}`);
  t.same(await secondRun.exited, { code: 0, signal: null }, 'the service exited 0', { stderr: secondRun.stderr() });
  t.notOk(alive(server.pid), 'then PostgreSQL was stopped');
  t.notOk(existsSync(path.join(dataDir, 'snp-match.lock')), 'and DATA_DIR released');
});
