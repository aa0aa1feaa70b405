// How the harness starts one of this repository's TypeScript entry points as a
// process of its own, without two costs a test run would otherwise add to each
// start (an operator's process has neither):
//  - tap preloads its process-info hooks into every node process a test
//    spawns, through NODE_OPTIONS: about 1.3 s of CPU per start, and source
//    maps on for every stack trace. Under tap (TAP=1) the child is started
//    through `env -u NODE_OPTIONS`, which execs node under the same pid.
//  - tsx transpiles through a loader thread: about 2 s of CPU per start.
//    Given a compiled build (test/setup/build.ts compiles src once per tap
//    run), the child runs that instead, as the container runs dist/.
import path from 'node:path';

export interface NodeCommand { command: string; args: string[] }

export interface NodeCommandOptions {
  /** A build directory laid out as test/setup/build.ts writes it; null or absent: tsx on the sources. */
  compiled?: string | null;
  /** Plain JavaScript modules to preload (--import). */
  preload?: string[];
}

/** Node arguments that run `entry` (a path under src/ relative to the checkout, e.g. src/main.ts) with `args`. */
export function nodeArgs(entry: string, args: string[] = [], options: NodeCommandOptions = {}): string[] {
  const preload = (options.preload ?? []).flatMap((module) => ['--import', module]);
  const compiled = options.compiled ?? null;
  const script = compiled === null
    ? ['--import', 'tsx', entry]
    : [path.join(compiled, 'dist', path.relative('src', entry).replace(/\.ts$/, '.js'))];
  return [...preload, ...script, ...args];
}

/** `node` with these arguments, as a command to spawn. */
export function nodeProcess(nodeArguments: string[]): NodeCommand {
  return withoutTapHooks(process.execPath, nodeArguments);
}

/** Any command (node, or bash running npm and node) without tap's process-info hooks in its environment. */
export function withoutTapHooks(command: string, args: string[]): NodeCommand {
  return process.env.TAP === '1' ? { command: 'env', args: ['-u', 'NODE_OPTIONS', command, ...args] } : { command, args };
}
