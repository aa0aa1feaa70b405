// In-process triage benchmark (issue 4: "the triage decision costs
// microseconds"). Evaluates random, realistic requests against the default
// national rule set with the compiled evaluator, and with the naive reference
// evaluator of the uncompiled rules as a baseline measured in the same run.
// It prints numbers; it never asserts on them.
//
//   node --import tsx bench/triage-inprocess.ts [--quick] [--seed=N]
//
// --quick: 50,000 inputs instead of 1,000,000, for CI. With --expose-gc,
// garbage is collected between passes so that no pass pays for another's.
//
// One call takes well under a microsecond, which is close to the cost and
// resolution of process.hrtime.bigint() itself; so the percentiles are taken
// over batches of BATCH calls (batch time / BATCH). Single-call timings, timer
// included, are printed separately next to the timer's own overhead.
import { cpus, loadavg } from 'node:os';
import { COMPLAINTS, RED_FLAGS, SEXES } from '../src/core/domain.js';
import {
  DEFAULT_RULE_SET,
  compileRuleSet,
  evaluateReference,
  parseRuleSet,
  triage,
  type TriageDecision,
  type TriageInput,
} from '../src/core/triage/index.js';
import { writeResults } from './lib/results.js';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const SEED = Number(args.find((a) => a.startsWith('--seed='))?.slice(7) ?? 42);
const INPUTS = QUICK ? 50_000 : 1_000_000;
// Short batches (~10 µs) so that a preemption by another process spoils few of them.
const BATCH = 100;
const SINGLE_CALLS = QUICK ? 10_000 : 200_000;

// Mulberry32: a small seeded generator, so runs are comparable.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mostly ordinary requests: few red flags, ages across life, some unknown sex. */
function makeInputs(count: number, rand: () => number): TriageInput[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const inputs: TriageInput[] = [];
  for (let i = 0; i < count; i++) {
    const sex = rand() < 0.05 ? 'unknown' : pick(SEXES.filter((s) => s !== 'unknown'));
    const age = Math.floor(rand() * 95);
    const flagCount = rand() < 0.6 ? 0 : rand() < 0.7 ? 1 : 2;
    const redFlags = Array.from({ length: flagCount }, () => pick(RED_FLAGS));
    const pregnant = sex !== 'male' && age >= 16 && age <= 45 && rand() < 0.1;
    inputs.push({ patient: pregnant ? { age, sex, pregnant } : { age, sex }, complaint: pick(COMPLAINTS), redFlags });
  }
  return inputs;
}

type Evaluate = (input: TriageInput) => TriageDecision;

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface Timing {
  p50: number;
  p99: number;
  mean: number;
}

function summarise(samples: number[]): Timing {
  const sorted = Float64Array.from(samples).sort();
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}

let sink = 0; // keeps the calls observable so the JIT cannot drop them

/**
 * Per-call ns of each batch. One evaluator at a time: the baseline allocates,
 * and its garbage must not be collected during the compiled evaluator's batches.
 */
function timeBatches(inputs: TriageInput[], evaluate: Evaluate): number[] {
  const perCall: number[] = [];
  for (let start = 0; start + BATCH <= inputs.length; start += BATCH) {
    const t0 = process.hrtime.bigint();
    for (let i = start; i < start + BATCH; i++) sink += evaluate(inputs[i] as TriageInput).rule.id.length;
    const t1 = process.hrtime.bigint();
    perCall.push(Number(t1 - t0) / BATCH);
  }
  return perCall;
}

/** Collects garbage between passes when run with --expose-gc. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function timeSingleCalls(inputs: TriageInput[], evaluate: Evaluate): { calls: number[]; timer: number[] } {
  const calls: number[] = [];
  const timer: number[] = [];
  for (let i = 0; i < SINGLE_CALLS; i++) {
    const input = inputs[i % inputs.length] as TriageInput;
    const t0 = process.hrtime.bigint();
    sink += evaluate(input).rule.id.length;
    const t1 = process.hrtime.bigint();
    const t2 = process.hrtime.bigint();
    calls.push(Number(t1 - t0));
    timer.push(Number(t2 - t1));
  }
  return { calls, timer };
}

function main(): void {
  const t0 = process.hrtime.bigint();
  const parsed = parseRuleSet(JSON.parse(JSON.stringify(DEFAULT_RULE_SET)));
  const t1 = process.hrtime.bigint();
  if (!parsed.ok) throw new Error('default rule set invalid');
  const compiled = compileRuleSet(parsed.ruleSet, 1);
  const t2 = process.hrtime.bigint();

  const inputs = makeInputs(INPUTS, random(SEED));
  const compiledEvaluate: Evaluate = (input) => triage(compiled, input);
  const referenceEvaluate: Evaluate = (input) => evaluateReference(parsed.ruleSet, 1, input);

  // Same answers on every input (a sanity check of the run, not a test).
  let disagreements = 0;
  for (const input of inputs) {
    if (compiledEvaluate(input).rule.id !== referenceEvaluate(input).rule.id) disagreements++;
  }
  // Warm-up of both paths, then one measured pass each.
  const warmup = inputs.slice(0, Math.min(inputs.length, 100_000));
  timeBatches(warmup, compiledEvaluate);
  timeBatches(warmup, referenceEvaluate);
  collectGarbage();
  const compiledBatches = timeBatches(inputs, compiledEvaluate);
  collectGarbage();
  const referenceBatches = timeBatches(inputs, referenceEvaluate);
  collectGarbage();
  const compiledTiming = summarise(compiledBatches);
  const referenceTiming = summarise(referenceBatches);
  const single = timeSingleCalls(inputs, compiledEvaluate);
  const singleTiming = summarise(single.calls);
  const timerTiming = summarise(single.timer);

  const ns = (value: number) => value.toFixed(0).padStart(12);
  const perSecond = (meanNs: number) => `${(1e9 / meanNs / 1e6).toFixed(2)} M`.padStart(12);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`.padStart(12);
  const label = (text: string) => text.padEnd(40);

  console.log(
    `triage, in process — default national rule set (${parsed.ruleSet.rules.length} rules), Node ${process.version}, ` +
      `${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(1)} (other processes skew the p99)`,
  );
  console.log(
    `${INPUTS.toLocaleString('en')} random inputs (seed ${SEED}), batches of ${BATCH.toLocaleString('en')} calls; ` +
      `per-call ns = batch time / ${BATCH.toLocaleString('en')} (single calls are too fast to time one by one)`,
  );
  console.log('');
  console.log(`${label('evaluator')}${'p50 ns/call'.padStart(12)}${'p99 ns/call'.padStart(12)}${'mean ns'.padStart(12)}${'calls/s'.padStart(12)}`);
  console.log(`${label('compiled (triage)')}${ns(compiledTiming.p50)}${ns(compiledTiming.p99)}${ns(compiledTiming.mean)}${perSecond(compiledTiming.mean)}`);
  console.log(`${label('baseline: naive reference, uncompiled')}${ns(referenceTiming.p50)}${ns(referenceTiming.p99)}${ns(referenceTiming.mean)}${perSecond(referenceTiming.mean)}`);
  console.log(`${label('ratio baseline / compiled')}${ratio(referenceTiming.p50, compiledTiming.p50)}${ratio(referenceTiming.p99, compiledTiming.p99)}${ratio(referenceTiming.mean, compiledTiming.mean)}`);
  console.log('');
  console.log(`${label('single compiled calls, timer included')}${ns(singleTiming.p50)}${ns(singleTiming.p99)}${ns(singleTiming.mean)}   (${SINGLE_CALLS.toLocaleString('en')} calls)`);
  console.log(`${label('hrtime.bigint() overhead alone')}${ns(timerTiming.p50)}${ns(timerTiming.p99)}${ns(timerTiming.mean)}`);
  console.log('');
  console.log(
    `one-off: parseRuleSet ${(Number(t1 - t0) / 1e6).toFixed(2)} ms (shape, codes, reachability), ` +
      `compileRuleSet ${(Number(t2 - t1) / 1e6).toFixed(2)} ms`,
  );
  console.log(`compiled and baseline disagree on ${disagreements} of ${INPUTS.toLocaleString('en')} inputs (checksum ${sink})`);
  writeResults('triage-inprocess', QUICK, {
    postgres: null,
    figures: { inputs: INPUTS, compiledP50Ns: compiledTiming.p50, compiledP99Ns: compiledTiming.p99, compiledMeanNs: compiledTiming.mean, disagreements },
    baselines: { referenceP50Ns: referenceTiming.p50, referenceP99Ns: referenceTiming.p99, referenceMeanNs: referenceTiming.mean, timerP50Ns: timerTiming.p50 },
    guarded: {},
  });
}

main();
