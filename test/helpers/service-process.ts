// A service or a command-line tool as a real process, the way an operator runs
// it: its stdout lines (pino JSON), its stderr, its exit. Started in a process
// group of its own so a test can send a terminal's Ctrl-C (SIGINT to the group).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nodeArgs as harnessNodeArgs, nodeProcess } from '../../scripts/harness/node-command.js';
import { currentBuild } from '../setup/run-state.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  lines: Record<string, unknown>[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout line whose msg matches (rejects on exit or timeout). */
  waitFor(msg: string | RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** `node` with these arguments (for an entry point under src/, from nodeArgs). */
export function runProcess(nodeArgs: string[], env: Record<string, string>, cwd = ROOT): ServiceProcess {
  const { command, args } = nodeProcess(nodeArgs);
  const child = spawn(command, args, {
    cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    // PLUGIN_TIMEOUT_MS: a start on a loaded machine may stall past Fastify's 10 s.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'test', PLUGIN_TIMEOUT_MS: '120000', ...env },
  });
  const lines: Record<string, unknown>[] = [];
  let errText = '';
  const waiters = new Set<() => void>();
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const part of parts) {
      try { lines.push(JSON.parse(part)); } catch { lines.push({ msg: part }); }
    }
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => { errText += chunk.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => { for (const wake of waiters) wake(); resolve({ code, signal }); });
  });
  let done = false;
  void exited.then(() => { done = true; });
  return {
    child, pid: child.pid!, lines, exited, stderr: () => errText,
    waitFor: (msg, timeoutMs = 120_000) => new Promise((resolve, reject) => {
      const matches = (line: Record<string, unknown>) => typeof line.msg === 'string' && (typeof msg === 'string' ? line.msg === msg : msg.test(line.msg));
      const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`no ${String(msg)} within ${timeoutMs} ms; stderr: ${errText.slice(-500)}`)); }, timeoutMs);
      const check = () => {
        const found = lines.find(matches);
        if (found !== undefined) { clearTimeout(timer); waiters.delete(check); resolve(found); }
        else if (done || child.exitCode !== null) { clearTimeout(timer); waiters.delete(check); reject(new Error(`exited before ${String(msg)}; stderr: ${errText.slice(-800)}`)); }
      };
      waiters.add(check);
      check();
    }),
  };
}

/** Node arguments that run `entry` (under src/) with `args`: the run's compiled build under tap, else tsx. */
export function nodeArgs(entry: string, ...args: string[]): string[] {
  return harnessNodeArgs(entry, args, { compiled: currentBuild() });
}

/** The service (src/main.ts) with this environment. */
export function runService(env: Record<string, string>): ServiceProcess {
  return runProcess(nodeArgs('src/main.ts'), env);
}

/** A command-line tool to its end: exit code, stdout, stderr. */
export async function runTool(args: string[], env: Record<string, string>, cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const tool = runProcess(args, env, cwd);
  const { code } = await tool.exited;
  return { code, stdout: tool.lines.map((l) => (typeof l.msg === 'string' && Object.keys(l).length === 1 ? l.msg : JSON.stringify(l))).join('\n'), stderr: tool.stderr() };
}
