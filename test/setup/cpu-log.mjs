// Opt-in (SUITE_CPU_LOG=file): at exit, a test process appends one JSON line
// with its CPU seconds and those of the child processes it waited for
// (services, tools, browsers it started), for the per-file breakdown in the
// README's "Keeping the suite fast". Loaded by ts-loader.mjs.
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';

const log = process.env.SUITE_CPU_LOG;
if (log !== undefined && log !== '') {
  const started = Date.now();
  process.once('exit', () => {
    // /proc/self/stat after the command name: fields 14-17 are utime, stime, cutime, cstime in ticks (100 a second).
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    const [user, system, childUser, childSystem] = [11, 12, 13, 14].map((i) => Number(fields[i]) / 100);
    const file = path.relative(process.cwd(), process.argv[1] ?? '');
    appendFileSync(log, `${JSON.stringify({ file, user, system, childUser, childSystem, wall: (Date.now() - started) / 1000 })}\n`);
  });
}
