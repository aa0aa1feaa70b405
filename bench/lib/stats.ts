// Percentiles of latency samples: the benchmarks report p50/p99, never means.
export interface Summary { n: number; p50: number; p99: number; max: number }

export function summarise(samples: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.length === 0 ? NaN : sorted[sorted.length - 1]! };
}

/**
 * A paced load generator's latencies with the requests a stall held back added
 * (HdrHistogram's recordValueWithExpectedInterval): an answer of `v` ms when one
 * was due every `intervalMs` stands for the answers due meanwhile, of v − interval,
 * v − 2·interval … down to one interval.
 */
export function withHeldBackRequests(latencies: readonly number[], intervalMs: number): number[] {
  if (!(intervalMs > 0)) throw new RangeError(`interval must be positive, got ${intervalMs}`);
  const out: number[] = [];
  for (const latency of latencies) {
    out.push(latency);
    for (let missed = latency - intervalMs; missed >= intervalMs; missed -= intervalMs) out.push(missed);
  }
  return out;
}

export const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** Prints rows as an aligned table. */
export function table(rows: (string | number)[][]): void {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const row of cells) process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`);
}
