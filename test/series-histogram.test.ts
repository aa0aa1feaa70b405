// The hot path's histogram (src/observability/series-histogram.ts) exposes what
// prom-client's Histogram exposes for the same observations: fed the same random
// values (on the bucket bounds too) under random label sets, through series held
// by the caller and through observe(), both registries give the same text and
// the same JSON, before and after a reset.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import client from 'prom-client';
import t from 'tap';
import { SeriesHistogram } from '../src/observability/series-histogram.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.25, 1];
const LABELS = ['route', 'method'] as const;

function pair() {
  const theirs = new client.Registry();
  const ours = new client.Registry();
  const options = { name: 'snp_test_seconds', help: 'a test histogram', labelNames: LABELS, buckets: BUCKETS };
  return {
    theirs, ours,
    reference: new client.Histogram({ ...options, registers: [theirs] }),
    histogram: new SeriesHistogram({ ...options, registers: [ours] }),
  };
}

const labelValue = fc.constantFrom('/v1/match', '/v1/bookings', 'with "quotes"', 'back\\slash', 'new\nline', '');
const value = fc.oneof(fc.constantFrom(...BUCKETS, 0, 10), fc.double({ min: 0, max: 20, noNaN: true }));
const observation = fc.record({ route: labelValue, method: fc.constantFrom('GET', 'POST'), value, held: fc.boolean() });

/** The JSON lines of every metric, each series' lines together, series in label order. */
async function linesBySeries(registry: client.Registry, keep: (labels: Record<string, unknown>) => boolean = () => true) {
  const metrics = await registry.getMetricsAsJSON();
  return metrics.map((metric) => ({
    ...metric,
    values: metric.values.filter((line) => keep(line.labels))
      .sort((a, b) => JSON.stringify([a.labels.route, a.labels.method]).localeCompare(JSON.stringify([b.labels.route, b.labels.method]))),
  }));
}

t.test('the same exposition as prom-client for the same observations', async (t) => {
  let runs = 0;
  await fc.assert(fc.asyncProperty(fc.array(observation, { maxLength: 60 }), fc.array(observation, { maxLength: 20 }), async (before, after) => {
    runs++;
    const { theirs, ours, reference, histogram } = pair();
    const feed = (observations: typeof before) => {
      for (const { route, method, value: seconds, held } of observations) {
        reference.observe({ route, method }, seconds);
        if (held) histogram.series({ route, method }).observe(seconds);
        else histogram.observe({ route, method }, seconds);
      }
    };
    feed(before);
    if (await ours.metrics() !== await theirs.metrics()) return false;
    if (!isDeepStrictEqual(await ours.getMetricsAsJSON(), await theirs.getMetricsAsJSON())) return false;
    reference.reset();
    histogram.reset();
    feed(after);
    // After a reset prom-client forgets its series; ours keeps them, at zero (callers hold them), in their first
    // order: compare the series observed since, in one order.
    const observed = new Set(after.map(({ route, method }) => JSON.stringify([route, method])));
    const since = (labels: Record<string, unknown>) => observed.has(JSON.stringify([labels.route, labels.method]));
    return isDeepStrictEqual(await linesBySeries(ours, since), await linesBySeries(theirs));
  }), { numRuns: 300 });
  t.equal(runs, 300, 'every run compared');
});

t.test('a timer observes the seconds elapsed', async (t) => {
  const { ours, histogram } = pair();
  const stop = histogram.startTimer({ route: '/v1/match', method: 'POST' });
  await new Promise((resolve) => setTimeout(resolve, 30));
  stop();
  const [metric] = await ours.getMetricsAsJSON();
  const sum = metric!.values.find((line) => (line as { metricName?: string }).metricName === 'snp_test_seconds_sum')!.value;
  t.ok(sum >= 0.029 && sum < 1, `${sum} s`);
  t.match(await ours.metrics(), /snp_test_seconds_bucket\{le="0\.01",route="\/v1\/match",method="POST"\} 0\nsnp_test_seconds_bucket\{le="0\.25",route="\/v1\/match",method="POST"\} 1/);
});

t.test('a value that is not a finite number is not counted', async (t) => {
  const { ours, histogram } = pair();
  const series = histogram.series({ route: '/', method: 'GET' });
  series.observe(Number.NaN);
  series.observe(Number.POSITIVE_INFINITY);
  series.observe(0.001);
  t.same([series.count, series.sum], [1, 0.001]);
  t.match(await ours.metrics(), /snp_test_seconds_count\{route="\/",method="GET"\} 1/);
});
