// The README's examples, run as written against a fresh service with the demo
// data, so that a stale example fails CI. Every ```sh and ```js block runs, in
// README order, in ONE bash session (variables set by a block are seen by the
// next ones); a block preceded by `<!-- not-run: reason -->` is skipped and
// listed with its reason. What the test changes, and only that:
//  - `localhost:3000` (and the metrics port 9464) become the test service's ports;
//  - `curl` runs with --fail-with-body, so an HTTP error stops the run (set -e);
//  - `npm` runs in the checkout (`--prefix`), the shell itself in a temporary
//    directory (files the examples write land there), with DATABASE_URL set to
//    the test database, as an operator would for the service and the CLI;
//  - under tap, `npm run [--silent] NAME [-- args]` of a package.json script
//    that is `node --import tsx src/….ts` runs that entry from the run's
//    compiled build instead (the same code, as the container runs it: about
//    2.5 s of CPU less per call than npm plus tsx; see node-command.ts);
//  - a ```js block runs as `node --input-type=module` in the checkout, with the
//    shell's exported variables.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { nodeArgs, withoutTapHooks } from '../scripts/harness/node-command.js';
import { seedDemo } from '../src/db/seed-demo.js';
import { migratedDatabase } from './helpers/database.js';
import { startTestService } from './helpers/service.js';
import { currentBuild } from './setup/run-state.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const METRICS_TOKEN = 'a-long-random-secret';

interface Block { line: number; lang: 'sh' | 'js'; code: string; notRun?: string }

/** The ```sh and ```js blocks of a markdown text, each with the not-run reason written above it, if any. */
function examplesOf(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(sh|js)\s*$/.exec(lines[i]!);
    if (open === null) {
      if (/^```/.test(lines[i]!)) { // another fenced block: skip to its end
        for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++);
      }
      continue;
    }
    const start = i;
    const code: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) code.push(lines[i]!);
    let above = start - 1;
    while (above >= 0 && lines[above]!.trim() === '') above--;
    const notRun = /^<!--\s*not-run:\s*(.*?)\s*-->$/.exec(lines[above] ?? '')?.[1];
    blocks.push({ line: start + 1, lang: open[1] as 'sh' | 'js', code: code.join('\n'), ...(notRun !== undefined ? { notRun } : {}) });
  }
  return blocks;
}

/**
 * The bash `npm` the examples call: npm in the checkout, except that a script
 * running a TypeScript entry through tsx runs that entry compiled when the tap
 * run has a build (its arguments after `--`, in the checkout, as npm would).
 */
async function npmFunction(build: string | null): Promise<string> {
  const { scripts } = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const cases = build === null ? [] : Object.entries(scripts).flatMap(([name, command]) => {
    const entry = /^node --import tsx (src\/[\w/.-]+\.ts)$/.exec(command)?.[1];
    if (entry === undefined) return [];
    const node = ['node', ...nodeArgs(entry, [], { compiled: build })].map((a) => `'${a}'`).join(' ');
    return [`    ${name}) [ "\${1-}" = -- ] && shift; (cd "$REPO" && command ${node} "$@"); return ;;`];
  });
  return [
    'npm() {',
    '  if [ "${1-}" = run ]; then',
    '    local args=("$@"); shift; [ "${1-}" = --silent ] && shift',
    '    local name="${1-}"; shift || true',
    '    case "$name" in',
    ...cases,
    '    esac',
    '    set -- "${args[@]}"',
    '  fi',
    '  command npm --prefix "$REPO" "$@"',
    '}',
  ].join('\n');
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    // Without tap's process-info hooks, which every npm and node the examples start would load (node-command.ts).
    const spawnable = withoutTapHooks(command, args);
    const child = spawn(spawnable.command, spawnable.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

// The walk-through holds and books the earliest slot it is offered. The demo's
// slots start on five-minute marks, so a run within a moment of one races the
// clock: matched at 17:59:59.9, a slot starting at 18:00 had started before its
// hold (a 409, seen once in CI). The run (30 s here) starts clear of the next mark.
const FIVE_MINUTES = 300_000;
const RUN_MARGIN_MS = 90_000;
async function clearOfSlotStarts(): Promise<void> {
  const untilMark = FIVE_MINUTES - (Date.now() % FIVE_MINUTES);
  if (untilMark < RUN_MARGIN_MS) await sleep(untilMark + 2_000);
}

t.test('every README example runs as written', async (t) => {
  const readme = await readFile(path.join(REPO, 'README.md'), 'utf8');
  // Other spellings of shell or JavaScript would be skipped without a word: they must be sh or js.
  const misspelt = [...readme.matchAll(/^```(bash|shell|console|zsh|javascript|mjs|node)\s*$/gm)].map((m) => m[1]);
  t.same(misspelt, [], 'every shell or JavaScript example is tagged sh or js, so that it runs');
  const blocks = examplesOf(readme);
  const skipped = blocks.filter((b) => b.notRun !== undefined);
  const runnable = blocks.filter((b) => b.notRun === undefined);
  for (const b of skipped) {
    t.ok(b.notRun!.length > 10, `README.md:${b.line} is not run, and says why: ${b.notRun}`);
  }
  t.ok(runnable.length >= 10, `${runnable.length} examples to run, ${skipped.length} not run`);

  const database = await migratedDatabase(t);
  await seedDemo(database.db, 2);
  const service = await startTestService(t, database.url, { METRICS_PORT: '0', METRICS_TOKEN });
  const port = new URL(service.url).port;
  const metricsPort = new URL(service.metricsUrl!).port;

  const script: string[] = [
    'set -euo pipefail',
    'curl() { command curl --fail-with-body "$@"; }',
    await npmFunction(currentBuild()),
  ];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, REPO, DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
  runnable.forEach((block, i) => {
    const code = block.code.replaceAll('localhost:3000', `localhost:${port}`).replaceAll('localhost:9464', `localhost:${metricsPort}`);
    script.push(`printf '\\n::block ${i} (README.md:${block.line}) %s\\n' "$(date +%s%3N)"`);
    if (block.lang === 'sh') script.push(code);
    else {
      env[`README_JS_${i}`] = code;
      script.push(`(cd "$REPO" && timeout 30 node --input-type=module -e "$README_JS_${i}")`);
    }
    script.push(`printf '\\n::done ${i} %s\\n' "$(date +%s%3N)"`);
  });

  const cwd = await mkdtemp(path.join(tmpdir(), 'readme-examples-'));
  t.teardown(() => rm(cwd, { recursive: true, force: true }));
  await clearOfSlotStarts();
  const result = await run('bash', ['-c', script.join('\n')], { cwd, env, timeoutMs: 150_000 });
  const stamps = (marker: string) => new Map([...result.output.matchAll(new RegExp(`^::${marker} (\\d+) .*?(\\d+)$`, 'gm'))].map((m) => [Number(m[1]), Number(m[2])]));
  const started = stamps('block');
  const done = stamps('done');
  runnable.forEach((block, i) => {
    const first = block.code.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
    if (done.has(i)) { t.pass(`README.md:${block.line} ran in ${done.get(i)! - started.get(i)!} ms: ${first.slice(0, 80)}`); return; }
    const at = result.output.indexOf(`::block ${i} `);
    t.fail(`README.md:${block.line} ${at < 0 ? 'was not reached' : 'failed'}: ${first.slice(0, 80)}`,
      at < 0 ? {} : { output: result.output.slice(at).slice(-3000) });
  });
  t.equal(result.code, 0, 'the whole run exits 0');
  // What the examples claim, checked on their output.
  t.match(result.output, /"status":"ok"/, '/healthz answered');
  t.match(result.output, /the professional was told: [0-9a-f-]{36}/, 'the professional\'s socket got the counter\'s booking');
  t.match(result.output, /"resourceType":"Appointment","id":"[^"]+","status":"booked"/, 'the SAS booked through /fhir/Appointment');
  t.match(result.output, /"resourceType":"Appointment","id":"[^"]+","status":"cancelled"/, 'and cancelled it');
  t.match(result.output, /^snp_/m, 'the metrics scrape printed snp_ metrics');
});
