// tap `before` script: one PostgreSQL for the whole run. It spawns the keeper
// (detached, so it outlives this script), waits until the migrated template
// is ready, and exits; test processes find the server through the run
// directory (see run-state.ts). Meanwhile it compiles src once for the
// service processes tests start (build.ts), and the FHIR schema validator the
// FHIR tests load (fhir-standalone.ts). Runs left behind by a killed tap
// are swept first.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDir, buildService } from './build.js';
import { buildDependencyBundle } from './dependency-bundle.mjs';
import { writeFhirValidator } from './fhir-standalone.js';
import { isAlive, ownerFile, processStart, readJson, runDir, stateFile, type RunOwner } from './run-state.js';
import { sweepStaleRuns } from './stale-runs.js';

const KEEPER = fileURLToPath(new URL('./postgres-keeper.ts', import.meta.url));
// The loader the test files run under (package.json tap.node-arg). The keeper
// runs without tap's process-info hooks (NODE_OPTIONS): tap would take
// coverage of it, as it does of this script even with coverage disabled, and
// fail the run on files it imports without running them all. This script
// and after.ts load only test/ files, which tap's coverage report leaves out:
// the report is empty (package.json: allow-empty-coverage).
const TS_LOADER = fileURLToPath(new URL('./ts-loader.mjs', import.meta.url));
const READY_TIMEOUT_MS = 180_000;

await sweepStaleRuns();
const runnerPid = process.ppid;
const dir = runDir(runnerPid);
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
const logFile = path.join(dir, 'keeper.log');
const log = openSync(logFile, 'a');
// tap's hooks put themselves back into a spawned process's NODE_OPTIONS: `env -u`
// (which execs node under the same pid) takes them out.
const keeper = spawn('env', ['-u', 'NODE_OPTIONS', process.execPath, '--import', TS_LOADER, KEEPER, String(runnerPid)], {
  detached: true, stdio: ['ignore', log, log],
});
closeSync(log);
const owner: RunOwner = { runnerPid, runnerStart: processStart(runnerPid), keeperPid: keeper.pid! };
await writeFile(ownerFile(dir), JSON.stringify(owner));

let exited = false;
keeper.once('exit', () => { exited = true; });
// While PostgreSQL starts: the build the tests' service processes run.
await buildService(dir);
await buildDependencyBundle();
await writeFhirValidator(buildDir(dir));
const until = Date.now() + READY_TIMEOUT_MS;
while (readJson(stateFile(dir)) === null) {
  if (exited || Date.now() > until || !isAlive(keeper.pid!)) {
    let output = '';
    try { output = readFileSync(logFile, 'utf8'); } catch { /* removed by the keeper */ }
    if (!exited) keeper.kill('SIGTERM');
    console.error(`the test run's PostgreSQL did not start:\n${output}`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
keeper.unref();
