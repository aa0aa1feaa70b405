// N real service processes on one PostgreSQL: shared with scripts/soak.ts, so it lives in scripts/harness.
// Under tap the instances run the run's compiled build (test/setup/build.ts).
import { startCluster as startHarnessCluster, type Cluster, type ClusterOptions, type Teardown } from '../../scripts/harness/cluster.js';
import { currentBuild } from '../setup/run-state.js';

export * from '../../scripts/harness/cluster.js';

export function startCluster(t: Teardown, options: ClusterOptions): Promise<Cluster> {
  return startHarnessCluster(t, { compiled: currentBuild(), ...options });
}
