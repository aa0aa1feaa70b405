// Where the bytes a request allocates come from: V8's sampling heap profiler
// (node:inspector's HeapProfiler) over a window, objects collected by either
// GC included, summed by allocating function. Garbage is what the young
// generation's collections pay for; the CPU profile shows their time, this
// shows whose allocations they are.
import { Session } from 'node:inspector/promises';
import { frameName } from './cpu-profile.js';

interface SamplingNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children?: SamplingNode[] }

export interface AllocationSites { bytes: number; sites: { name: string; bytes: number }[] }

export async function startAllocationSampling(intervalBytes = 1024): Promise<() => Promise<AllocationSites>> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: intervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    session.disconnect();
    const bySite = new Map<string, number>();
    const visit = (node: SamplingNode) => {
      const name = frameName(node.callFrame);
      if (node.selfSize > 0) bySite.set(name, (bySite.get(name) ?? 0) + node.selfSize);
      for (const child of node.children ?? []) visit(child);
    };
    visit((profile as unknown as { head: SamplingNode }).head);
    const sites = [...bySite].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => ({ name, bytes }));
    return { bytes: sites.reduce((sum, site) => sum + site.bytes, 0), sites };
  };
}
