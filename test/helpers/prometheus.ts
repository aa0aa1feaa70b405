// A scrape parsed by parse-prometheus-text-format (which throws on a malformed
// line). That parser folds a labelled histogram into one unlabelled sample, so
// histogram series are read from a second parse with their TYPE lines removed,
// where _bucket, _sum and _count come out as plain labelled samples.
import parse, { type ParsedFamily } from 'parse-prometheus-text-format';

export interface Sample { labels: Record<string, string>; value: number }

export interface Scrape {
  families: Map<string, ParsedFamily>;
  /** Samples of a counter or gauge, or of a histogram's name_count / name_sum / name_bucket. */
  samples(name: string): Sample[];
  /** The one sample whose labels include `labels`; undefined when none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

export function parseScrape(text: string): Scrape {
  const families = new Map(parse(text).map((f) => [f.name, f]));
  const untyped = parse(text.replace(/^# TYPE \S+ histogram\n/gm, ''));
  const samples = (name: string): Sample[] => untyped.filter((f) => f.name === name)
    .flatMap((f) => f.metrics.filter((m) => m.value !== undefined).map((m) => ({ labels: m.labels ?? {}, value: Number(m.value) })));
  return {
    families,
    samples,
    value: (name, labels = {}) => samples(name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value,
  };
}
