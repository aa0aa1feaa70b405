// N real service instances as separate processes (`node --import tsx
// src/main.ts`, or a compiled build: see node-command.ts) on one PostgreSQL, as a load balancer would see them: each on
// its own port, each may be stopped (SIGTERM, graceful), killed (SIGKILL) or
// restarted on the same port. Teardown ends every child still running.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/db/embedded-postgres.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';
import { nodeArgs, nodeProcess } from './node-command.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GUARD = fileURLToPath(new URL('./orphan-guard.mjs', import.meta.url));
const MAX_LOG_LINES = 5_000;

/** What the harness needs of a tap Test (scripts pass their own). */
export interface Teardown { teardown(fn: () => unknown): void }

export interface LogLine { level: number; msg?: string; [key: string]: unknown }

/**
 * A logged line in a few hundred characters: its message, its error's type and
 * message (cut) and where it was thrown. For assertions on logged errors, whose
 * whole text (a fuzzer's 60 KB input quoted in a message) would bury the cause
 * beyond what CI shows of a failure.
 */
export function briefly(line: LogLine): string {
  const err = line.err as { type?: string; message?: unknown; stack?: unknown } | undefined;
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);
  const thrown = typeof err?.stack === 'string' ? err.stack.split('\n').find((frame) => frame.trimStart().startsWith('at ')) : undefined;
  return [line.msg ?? '', err && `${err.type ?? 'error'}: ${cut(String(err.message), 200)}`, thrown?.trim()].filter(Boolean).join(' | ');
}

export interface Instance {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** pino lines of level warn and above written by this instance (all its runs). */
  readonly logs: LogLine[];
  /** Exit codes and signals of its past runs, in order. */
  readonly exits: { code: number | null; signal: NodeJS.Signals | null }[];
  /** SIGTERM and wait for the exit (graceful: in-flight requests drain). */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: a crash, nothing runs on the way out. */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits for /readyz. */
  start(): Promise<void>;
  /** Lines logged at error level or above. */
  errors(): LogLine[];
  /** Those of errors() not caused by PostgreSQL being unreachable or the pool exhausted (shed load, a restart). */
  unexpectedErrors(): LogLine[];
  /** The end of what the current or last run wrote to stderr. */
  stderr(): string;
}

export interface ClusterOptions {
  databaseUrl: string;
  instances: number;
  /** Extra environment for every instance (e.g. DB_POOL_MAX). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** A compiled build of src to run (test/setup/build.ts); absent: tsx on the sources. */
  compiled?: string | null;
}

export interface Cluster {
  instances: Instance[];
  /** The instance for the i-th request, round robin. */
  pick(i: number): Instance;
}

export async function startCluster(t: Teardown, options: ClusterOptions): Promise<Cluster> {
  const instances: ManagedInstance[] = [];
  for (let i = 0; i < options.instances; i++) instances.push(new ManagedInstance(`i${i}`, await freePort(), options));
  t.teardown(async () => {
    await Promise.all(instances.map((instance) => instance.stop(10_000).catch(() => instance.kill())));
  });
  await Promise.all(instances.map((instance) => instance.start()));
  return { instances, pick: (i) => instances[i % instances.length]! };
}

class ManagedInstance implements Instance {
  readonly url: string;
  readonly logs: LogLine[] = [];
  readonly exits: { code: number | null; signal: NodeJS.Signals | null }[] = [];
  private child: ChildProcess | null = null;
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | null = null;
  private stderrTail = '';

  constructor(readonly name: string, readonly port: number, private readonly options: ClusterOptions) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined { return this.child?.pid; }
  get running(): boolean { return this.child !== null; }

  errors(): LogLine[] {
    return this.logs.filter((line) => line.level >= 50);
  }

  stderr(): string {
    return this.stderrTail;
  }

  unexpectedErrors(): LogLine[] {
    return this.errors().filter((line) => {
      const err = line.err as { message?: string; code?: string; statusCode?: number } | undefined;
      return !(err?.statusCode === 503 || isDatabaseUnavailable(Object.assign(new Error(err?.message ?? ''), { code: err?.code })));
    });
  }

  async start(): Promise<void> {
    if (this.child !== null) return;
    this.stderrTail = '';
    const { command, args } = nodeProcess(nodeArgs('src/main.ts', [], { compiled: this.options.compiled ?? null, preload: [GUARD] }));
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(this.port), DATABASE_URL: this.options.databaseUrl,
        LOG_LEVEL: 'warn', SEED_DEMO: 'false', RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000',
        PLUGIN_TIMEOUT_MS: '120000', // a start on a loaded machine may stall past Fastify's 10 s
        ...this.options.env,
      },
    });
    this.child = child;
    // Removing the exit listener on `exit` avoids a stale process-wide handler per run.
    const onParentExit = () => child.kill('SIGKILL');
    process.on('exit', onParentExit);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      process.removeListener('exit', onParentExit);
      this.exits.push({ code, signal });
      if (this.child === child) this.child = null;
      resolve({ code, signal });
    }));
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) this.record(line);
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { this.stderrTail = (this.stderrTail + chunk).slice(-10_000); });
    await this.waitReady(this.options.readyTimeoutMs ?? 90_000);
  }

  async stop(timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (child === null) return this.exits.at(-1) ?? { code: null, signal: null };
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited!;
    } finally {
      clearTimeout(timer);
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (child === null) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  private record(line: string): void {
    if (line.trim() === '') return;
    try {
      const parsed = JSON.parse(line) as LogLine;
      if (typeof parsed.level === 'number') {
        if (this.logs.length < MAX_LOG_LINES) this.logs.push(parsed);
        return;
      }
    } catch { /* not pino */ }
    if (this.logs.length < MAX_LOG_LINES) this.logs.push({ level: 40, msg: line });
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.child === null) {
        throw new Error(`${this.name} exited before it was ready (${JSON.stringify(this.exits.at(-1))}):\n${this.stderrTail}\n${JSON.stringify(this.logs.slice(-5))}`);
      }
      const status = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0);
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.kill();
    throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.stderrTail}`);
  }
}

/** Polls `check` until it is true or the time is up; returns its last answer. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 15_000, everyMs = 100): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return check();
}
