// The limits `npm run bench:guard` holds the quick benchmarks to. Each is a
// same-run ratio where one exists (the code under test against a baseline on
// the same machine at the same moment, so that a loaded machine slows both),
// or a figure the machine's load barely moves (memory), or, for the index lag,
// an absolute figure with wide headroom. Set from 6 consecutive quick runs
// (`bench/guard.ts --retries 0`, 2026-12-06) on the 2-core development machine
// while six other engineers loaded it (load average 20 to 35 at the starts); the values seen
// are written beside each, and the limit leaves the headroom that noise needs
// while still catching the regressions test/bench-guard.test.ts injects
// (SNP_DEBUG_SLOWDOWN). On such a machine the ratios are weak: they catch a
// path several times slower, not 20 % slower. Re-derive them on CI's machine.

export type BenchName = 'matcher-inprocess' | 'match-http' | 'booking-http' | 'push-latency';

export interface Threshold {
  bench: BenchName;
  /** Key in the benchmark's JSON `guarded` object. */
  metric: string;
  label: string;
  /** 'min': the value must be at least `limit`; 'max': at most. */
  kind: 'min' | 'max';
  limit: number;
  why: string;
}

// A limit must sit beyond every value seen, with room for worse noise, and inside
// what the test's slowdown produces.
export const THRESHOLDS: Threshold[] = [
  {
    bench: 'match-http', metric: 'httpMatchPerEchoThroughput', label: 'HTTP match / bare echo throughput (per server CPU)', kind: 'min', limit: 0.015,
    why: 'Requests per server CPU-second, POST /v1/match over a bare Fastify echo (the wall-clock ratio swung 0.05–0.15 with the '
      + 'machine\'s load, 0.04–0.33). It moves less, but not little: seen over 6 runs: 0.039 to 0.299; the low values came with a match route so starved that a '
      + '2 s quick run completed a handful of requests while 50 were in flight, whose CPU counts but who do not. The limit is 2.6× under '
      + 'the lowest: it only catches a match route several times costlier (200 ms more per request, the test, gives ≈ 0.005). '
      + 'Since issue 18 the service runs as in production (request logging at info to /dev/null, rate limit raised so that no answer is a 429) '
      + 'and both routes are warmed up before measuring: logging makes the match dearer, warm-up makes both cheaper; the limit stays far below either effect. Ten consecutive guard runs on the final code of 2026-12-06 (load 4 to 23 at their starts; values after any retry): 0.1711 to 0.5457.',
  },
  {
    bench: 'booking-http', metric: 'bookingPerInsertThroughput', label: 'booking / plain INSERT throughput', kind: 'min', limit: 0.06,
    why: 'Both are bound by durable commits on the same disk, measured a few seconds apart; under a load average of 20–30 the ratio '
      + 'still swung 4× (seen over 6 runs: 0.153 to 0.653). The limit is 2.5× under the lowest seen; a booking path several times slower fails '
      + '(the test: 700 ms of CPU per booking, ≤ 1.5 bookings/s, in the plain quick mode). Ten consecutive guard runs on the final code of 2026-12-06 (load 4 to 23 at their starts; values after any retry): 0.1627 to 0.6427.',
  },
  {
    bench: 'match-http', metric: 'indexPerSqlMatchLatencyP50', label: 'index / SQL match latency (p50)', kind: 'max', limit: 0.05,
    why: 'The index must stay at least 20× faster than the same query in SQL on indexed tables (SPEC §5 asks 10× at p50). '
      + 'Seen over 6 runs: 0.00021 to 0.00068, i.e. 1,500–5,000× faster: both sides slow down together under load, so the ratio holds; '
      + 'the limit leaves 70× for noise and catches an index that became a few hundred times slower (the test: 3 ms a match). Ten consecutive guard runs on the final code of 2026-12-06 (load 4 to 23 at their starts; values after any retry): 0.000349 to 0.004257.',
  },
  {
    bench: 'push-latency', metric: 'commitToSocketP99PerNotifyP99', label: 'commit→socket p99 / NOTIFY→LISTEN p99', kind: 'max', limit: 10,
    why: 'The push rides on NOTIFY plus an outbox read and a socket write, so its p99 tracks the bare NOTIFY round trip on the same '
      + 'server at the same rate. Seen over 6 runs: 0.456 to 2.2. A missing push counts as at least the wait after the run. The limit is 4.5× the worst '
      + 'seen; a 3 s pause in each outbox pass (the test) puts it well above. Ten consecutive guard runs on the final code of 2026-12-06 (load 4 to 23 at their starts; values after any retry): 0.788 to 6.486. Two of those ten needed their retry (first attempts 11.84 and 10.12): the limit is kept, since a pause in the outbox feed (the self-test) gives tens to hundreds, and a wider one could let it pass when NOTIFY itself is slow; the retry is what absorbs this noise.',
  },
  {
    bench: 'push-latency', metric: 'pushesMissing', label: 'pushes missing (count)', kind: 'max', limit: 0,
    why: 'Not a timing: every committed booking must reach its professional\'s socket. One missing push is a bug, never noise. Seen over 6 runs: 0 to 0. Ten consecutive guard runs on the final code of 2026-12-06 (load 4 to 23 at their starts; values after any retry): 0 to 0.',
  },
  {
    bench: 'match-http', metric: 'commitToIndexLagP99Ms', label: 'commit→index lag p99 (ms)', kind: 'max', limit: 3000,
    why: 'Absolute: no same-run baseline of its own. On a quiet machine the SPEC bar is 10 ms; on this shared 2-core machine it is '
      + 'scheduling, not the sync, that sets it: seen over 6 runs: 201 ms to 1037 ms. The limit is about 3× the worst seen: it catches a sync pass that takes '
      + 'seconds (the test: a 5 s pause per pass), not a few tens of milliseconds; the quiet-machine bar is for the full run and the README. Ten consecutive guard runs on the final code of 2026-12-06 (load 4 to 23 at their starts; values after any retry): 64.11 to 1088.',
  },
  {
    bench: 'matcher-inprocess', metric: 'inProcessMatchP99PerP50', label: 'in-process match p99 / p50', kind: 'max', limit: 100,
    why: 'A tail regression (some queries scanning instead of stopping early) moves p99 and not p50; a machine-wide slowdown moves '
      + 'both. Seen over 6 runs: 5.7 to 23.3. Preemption by other processes hits p99.9 (tens of ms) more than p99. The limit is 4× the worst seen; '
      + '2 ms on one call in 20 (the test) gives hundreds. Ten consecutive guard runs on the final code of 2026-12-06 (load 4 to 23 at their starts; values after any retry): 4.487 to 7.26.',
  },
  {
    bench: 'matcher-inprocess', metric: 'rssMbPer100kSlots', label: 'RSS per 100,000 slots (MB)', kind: 'max', limit: 100,
    why: 'Memory does not depend on the machine\'s load: RSS growth while 20,000 slots are indexed, scaled to 100,000 (by the slots built; '
      + 'until issue 18 it was scaled by the slots left after the run\'s changes and eviction, 16,174, which inflated it by 24 %). Seen over 6 runs: '
      + '48.4 MB to 79.7 MB with one object per slot (old scaling); 51.8 MB to 81.6 MB (7 runs, 2026-12-06, load 12–22) with the packed columns of '
      + 'issue 18, which take 17 MB per 100,000 at 1,000,000 slots: at 20,000 slots the growth is mostly fixed (compiled code, heap pages the build '
      + 'leaves, the columns\' first 32,768 rows, the slot cache), so it barely moved and stays noisy; indexBytesPerSlot below is the exact one. '
      + 'SPEC §5 allows 400 MB for 1,000,000 slots. The limit, 110 before, is about 20 % above the highest seen: 2 kB more per slot (the test) gives ≈ 275. Ten consecutive guard runs on the final code of 2026-12-06 (load 4 to 23 at their starts; values after any retry): 44.59 to 80.',
  },
  {
    bench: 'matcher-inprocess', metric: 'indexBytesPerSlot', label: 'index bytes per slot (heap + typed arrays)', kind: 'max', limit: 360,
    why: 'What the index itself holds (heap growth plus typed-array growth across the build, after GC), per slot built: no load, little noise. '
      + 'Seen over 7 quick runs (2026-12-06): 287 to 295, of which about 170 are fixed costs spread over only 20,000 slots (the columns\' first '
      + '32,768 rows, the id table, the slot cache); 121 at 1,000,000 slots. One object per slot took about 300 there and 255 at 1,000,000. '
      + 'The limit is about 20 % above the highest seen: it catches some 65 bytes more per slot; 2 kB more (the test) gives ≈ 2,500. Ten consecutive guard runs on the final code of 2026-12-06 (load 4 to 23 at their starts; values after any retry): 273.4 to 301.8.',
  },
];
