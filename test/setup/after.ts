// tap `after` script: asks the run's keeper to drop the run's databases and
// stop its PostgreSQL, and waits until it has.
import { isAlive, ownerFile, readJson, runDir, type RunOwner } from './run-state.js';

const STOP_TIMEOUT_MS = 30_000;
const owner = readJson<RunOwner>(ownerFile(runDir(process.ppid)));
if (owner !== null && isAlive(owner.keeperPid)) {
  process.kill(owner.keeperPid, 'SIGTERM');
  const until = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(owner.keeperPid) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  if (isAlive(owner.keeperPid)) console.error(`the test run's PostgreSQL keeper (pid ${owner.keeperPid}) did not stop within ${STOP_TIMEOUT_MS} ms`);
}
