// A newcomer's first hour, end to end, on a fresh clone of the current commit: install,
// `npm start` timed to "ready to serve", a match on the demo data right after ready,
// Ctrl-C (exit 0, no PostgreSQL left on that DATA_DIR), then, inside the clone, the
// README examples and lifecycle tests and the container-equivalent start.
//
//   node --import tsx scripts/fresh-clone-walkthrough.ts
//
// Prints a table (step, result, seconds) and exits 1 if any step failed. Only
// committed work is cloned: uncommitted changes are not walked through.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { http } from './harness/http.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const READY_TIMEOUT_MS = 300_000;

interface Row { step: string; result: 'ok' | 'FAILED' | 'skipped'; seconds: number; note: string }
const rows: Row[] = [];

/** Runs one step, timed; a failure is recorded (with its message) and returned as false. */
async function step(name: string, run: () => Promise<string | void>): Promise<boolean> {
  const started = performance.now();
  process.stdout.write(`── ${name}\n`);
  try {
    const note = (await run()) ?? '';
    rows.push({ step: name, result: 'ok', seconds: (performance.now() - started) / 1000, note });
    return true;
  } catch (error) {
    const message = (error as Error).message;
    process.stderr.write(`${name}: ${message}\n`);
    rows.push({ step: name, result: 'FAILED', seconds: (performance.now() - started) / 1000, note: message.split('\n')[0]!.slice(0, 100) });
    return false;
  }
}

function skip(...names: string[]): void {
  for (const name of names) rows.push({ step: name, result: 'skipped', seconds: 0, note: 'an earlier step failed' });
}

/** A command to its end, output kept; rejects with the output's tail unless it exits 0. */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')}: exit ${code ?? signal}\n${output.slice(-3000)}`));
    });
  });
}

/** Processes whose command line names this directory (PostgreSQL runs with -D DATA_DIR/pg). */
function processesUsing(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) found.push(Number(entry));
    } catch { /* gone meanwhile */ }
  }
  return found;
}

/** `npm start` as a newcomer runs it in a terminal: its own process group, so Ctrl-C can reach the whole group. */
function npmStart(cwd: string, env: NodeJS.ProcessEnv) {
  const child = spawn('npm', ['start'], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (pending + chunk.toString()).split('\n');
    pending = parts.pop()!;
    for (const part of parts) {
      try { lines.push(JSON.parse(part) as Record<string, unknown>); } catch { /* npm's own banner lines */ }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const outputClosed = new Promise<void>((resolve) => child.stdout!.once('close', () => resolve()));
  return { child, lines, exited, outputClosed, stderr: () => stderr };
}

async function waitForLine(service: ReturnType<typeof npmStart>, msg: string): Promise<Record<string, unknown>> {
  for (const until = Date.now() + READY_TIMEOUT_MS; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
    const line = service.lines.find((l) => l.msg === msg);
    if (line !== undefined) return line;
    if (service.child.exitCode !== null) throw new Error(`npm start exited ${service.child.exitCode} before "${msg}":\n${service.stderr().slice(-2000)}`);
  }
  throw new Error(`no "${msg}" within ${READY_TIMEOUT_MS / 1000} s`);
}

/** Live (not zombie) processes of the child's process group. */
function groupMembers(child: ChildProcess): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === child.pid && state !== 'Z') members.push(Number(entry));
    } catch { /* gone meanwhile */ }
  }
  return members;
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try { process.kill(-child.pid!, signal); } catch { /* already gone */ }
}

async function main(): Promise<void> {
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT }).toString().trim();
  if (execFileSync('git', ['status', '--porcelain'], { cwd: ROOT }).toString().trim() !== '') {
    process.stdout.write('note: this checkout has uncommitted changes; only the commit is walked through\n');
  }
  const work = mkdtempSync(path.join(tmpdir(), 'snp-fresh-clone-'));
  chmodSync(work, 0o755); // as root, the postgres user must enter the clone and DATA_DIR
  const clone = path.join(work, 'snp-match');
  const dataDir = path.join(work, 'data');
  const started: { service?: ReturnType<typeof npmStart> } = {};
  process.on('exit', () => {
    if (started.service !== undefined && started.service.child.exitCode === null) stopGroup(started.service.child, 'SIGKILL');
    for (const pid of processesUsing(dataDir)) try { process.kill(pid, 'SIGQUIT'); } catch { /* gone */ }
    rmSync(work, { recursive: true, force: true });
  });

  const cloned = await step(`git clone --no-local (${commit.slice(0, 10)})`, async () => {
    await run('git', ['clone', '--quiet', '--no-local', '--no-checkout', ROOT, clone], { cwd: work });
    await run('git', ['checkout', '--quiet', '--detach', commit], { cwd: clone });
    chmodSync(clone, 0o755);
  });
  const installed = cloned && await step('npm ci --no-audit --no-fund', async () => {
    const output = await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: clone });
    const engineWarnings = new Set(output.match(/package: '[^']+'/g) ?? []);
    return engineWarnings.size === 0 ? 'no EBADENGINE warning' : `EBADENGINE: ${[...engineWarnings].join(', ')}`;
  });
  if (!installed) {
    if (!cloned) skip('npm ci --no-audit --no-fund');
    skip('npm start → ready', 'match right after ready', 'Ctrl-C', 'tap readme-examples + service-lifecycle', 'container-equivalent');
    return;
  }

  let url = '';
  const ready = await step('npm start → ready', async () => {
    // A newcomer's shell: no DATABASE_URL, a fresh DATA_DIR, any free port.
    started.service = npmStart(clone, { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: '0' });
    const line = await waitForLine(started.service, 'snp-match ready to serve');
    url = String(line.url);
    return `${url}`;
  });
  if (ready) {
    await step('match right after ready', async () => {
      const readyAt = performance.now();
      const created = await run('npm', ['run', '--silent', 'clients', '--', 'create', '--role', 'regulator', '--territory', 'venissieux', '--name', 'walkthrough'],
        { cwd: clone, env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir } });
      const { token } = JSON.parse(created) as { token: string };
      const match = await http({ url }, 'POST', '/v1/match', { token, body: { territory: 'venissieux' } });
      const offered = (match.json?.candidates?.length ?? 0) + (match.json?.alternatives?.length ?? 0);
      if (match.status !== 200 || offered === 0) throw new Error(`POST /v1/match: ${match.status}, ${offered} slot(s): ${match.text.slice(0, 300)}`);
      return `${offered} slot(s) offered ${((performance.now() - readyAt) / 1000).toFixed(1)} s after ready (client created first)`;
    });
    await step('Ctrl-C', async () => {
      const service = started.service!;
      stopGroup(service.child, 'SIGINT'); // a terminal's Ctrl-C: SIGINT to the foreground process group
      // npm's `sh -c` (dash) dies of the SIGINT and npm re-raises it, so npm's own status is
      // SIGINT or 0 depending on the shell: the service is judged by its logs and its end.
      const npm = await service.exited;
      // Every process holding our stdout (the service) has exited.
      await Promise.race([service.outputClosed, new Promise((_, reject) => setTimeout(() => reject(new Error('the service still runs 60 s after Ctrl-C')), 60_000))]);
      const closing = service.lines.findIndex((l) => l.msg === 'closing: draining requests, then stopping');
      if (closing < 0) throw new Error(`the service never said it was draining:\n${service.stderr().slice(-2000)}`);
      const failures = service.lines.slice(closing).filter((l) => Number(l.level) >= 50);
      if (failures.length > 0) throw new Error(`errors while stopping: ${JSON.stringify(failures).slice(0, 1000)}`);
      const group = groupMembers(service.child);
      if (group.length > 0) throw new Error(`npm start's process group still runs: pid ${group.join(', ')}`);
      const left = processesUsing(dataDir);
      if (left.length > 0) throw new Error(`still running on ${dataDir}: pid ${left.join(', ')}`);
      if (existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))) throw new Error('postmaster.pid left behind');
      return `npm: ${npm.code ?? npm.signal}; service drained, no error, nothing left on DATA_DIR`;
    });
  } else {
    skip('match right after ready', 'Ctrl-C');
  }

  await step('tap readme-examples + service-lifecycle', async () => {
    const output = await run('npx', ['tap', 'test/readme-examples.test.ts', 'test/service-lifecycle.test.ts'], { cwd: clone });
    return output.match(/# \{ total: .*\}|# pass\s+\d+/)?.[0] ?? output.trim().split('\n').at(-1) ?? '';
  });
  await step('container-equivalent', async () => {
    const output = await run(process.execPath, ['--import', 'tsx', 'scripts/container-equivalent.ts'], { cwd: clone });
    return output.trim().split('\n').at(-1)?.replace(/^\[[\d.]+ s\] /, '') ?? '';
  });
}

function printSummary(): void {
  const width = Math.max(...rows.map((r) => r.step.length));
  process.stdout.write(`\n${'step'.padEnd(width)}  result   seconds  note\n`);
  for (const r of rows) {
    process.stdout.write(`${r.step.padEnd(width)}  ${r.result.padEnd(7)}  ${r.seconds.toFixed(1).padStart(7)}  ${r.note}\n`);
  }
}

main().then(() => {
  printSummary();
  process.exit(rows.some((r) => r.result !== 'ok') ? 1 : 0);
}, (error: Error) => {
  printSummary();
  process.stderr.write(`fresh-clone-walkthrough: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
