// What triage adds to POST /v1/requests (issue 4: "adds nothing noticeable").
// In process, on a real PostgreSQL and the real index, with the very functions
// createRequest calls, one call at a time:
//   triage  = triageRequest: territory of the commune, rule set in force,
//             codes checked against it, first matching rule, answer copied;
//   match   = searchForDecision + searchIndex + candidateView for the same
//             book decisions (what createRequest does after the triage);
//   request = createRequest end to end, with its INSERT into requests
//             (one round trip to PostgreSQL, committed before returning).
// HTTP parsing and serialisation are not included: they are the same with or
// without triage. It prints numbers; it never asserts on them.
//
//   node --import tsx bench/requests-triage-cost.ts [--quick]
//
// --quick: a small data set and few calls, for CI.
import { loadavg } from 'node:os';
import pino from 'pino';
import { SlotIndex } from '../src/core/index/index.js';
import type { Sex } from '../src/core/domain.js';
import { createClient, findClientByToken } from '../src/auth/clients.js';
import { RuleSetRegistry } from '../src/db/rule-sets/rule-set-registry.js';
import { IndexSync } from '../src/db/sync/index-sync.js';
import { Notifier } from '../src/db/notifications/notifier.js';
import { TerritoryDirectory } from '../src/db/territory-directory.js';
import type { UseCaseContext } from '../src/usecases/context.js';
import { candidateView, searchIndex } from '../src/usecases/match.js';
import { searchForDecision } from '../src/usecases/request-search.js';
import { createRequest, type CreateRequestInput } from '../src/usecases/requests.js';
import { triageRequest } from '../src/usecases/triage.js';
import { generateDataset } from '../scripts/generate-dataset.js';
import { pgIndicators } from '../src/db/indicators/index.js';
import { pgUseCaseStores } from '../src/db/stores/index.js';
import { pgSasAppointments } from '../src/sas/storage/appointment-store.js';
import { benchDatabase } from './lib/bench-database.js';
import { fmt, summarise, table } from './lib/stats.js';
import { postgresVersion, writeResults } from './lib/results.js';

const quick = process.argv.includes('--quick');
const SIZE = quick ? { territories: 5, professionals: 500, slots: 10_000 } : { territories: 50, professionals: 10_000, slots: 200_000 };
const IN_PROCESS_CALLS = quick ? 20_000 : 200_000;
const REQUESTS = quick ? 300 : 3_000;
const WARMUP = quick ? 2_000 : 20_000;
const silent = pino({ level: 'silent' });

// Seeded, so runs compare. Mostly booking complaints, some red flags, ages across life.
let state = 7;
const random = () => { state = (state * 1664525 + 1013904223) >>> 0; return state / 2 ** 32; };
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const COMPLAINTS = ['back-pain', 'wound', 'sprain', 'fever', 'cough', 'ear-pain', 'rash', 'headache', 'abdominal-pain', 'urinary-burning', 'sore-throat', 'other'];
const FLAGS = ['fever-over-38', 'vomiting', 'chills', 'immunosuppression', 'chest-pain'];

function randomBody(communes: readonly string[]): CreateRequestInput {
  const sex: Sex = random() < 0.05 ? 'unknown' : random() < 0.5 ? 'female' : 'male';
  const redFlags = random() < 0.8 ? [] : [pick(FLAGS)];
  return { patient: { age: Math.floor(random() * 90), sex }, complaint: pick(COMPLAINTS), redFlags, commune: pick(communes), limit: 5 };
}

const micros = (startedNs: bigint) => Number(process.hrtime.bigint() - startedNs) / 1000;

const bench = await benchDatabase(10);
const closers: (() => Promise<void>)[] = [];
try {
  const dataset = await generateDataset(bench.handle.db, SIZE);
  const index = new SlotIndex();
  const notifier = new Notifier({ url: bench.url });
  closers.push(() => notifier.stop());
  const sync = new IndexSync({ notifier, pool: bench.handle.pool, index, logger: silent });
  await sync.start();
  closers.push(() => sync.stop());
  const territories = new TerritoryDirectory(bench.handle.db);
  await territories.load();
  const ruleSets = new RuleSetRegistry({ notifier, db: bench.handle.db, logger: silent });
  await ruleSets.start();
  closers.push(() => ruleSets.stop());
  const ctx: UseCaseContext = { index, sync, territories, now: Date.now, ruleSets, indicators: pgIndicators(bench.handle.db), ...pgUseCaseStores(bench.handle), sasAppointments: pgSasAppointments(bench.handle) };
  const { token } = await createClient(bench.handle.db, { role: 'regulator', territories: dataset.territoryIds, name: 'bench regulator' });
  const client = (await findClientByToken(bench.handle.db, token))!;

  const communes = dataset.communes.map((c) => c.code);
  const bodies = Array.from({ length: IN_PROCESS_CALLS }, () => randomBody(communes));

  // Triage alone, as createRequest runs it (the same function POST /v1/triage answers with).
  for (let i = 0; i < WARMUP; i++) triageRequest(ctx, client, bodies[i % bodies.length]!);
  const triageSamples: number[] = [];
  const decisions: ReturnType<typeof triageRequest>[] = [];
  for (const body of bodies) {
    const started = process.hrtime.bigint();
    const decision = triageRequest(ctx, client, body);
    triageSamples.push(micros(started));
    decisions.push(decision);
  }

  // Match alone, for the book decisions, as createRequest runs it after the triage.
  const books = bodies.map((body, i) => ({ body, decision: decisions[i]! })).filter((x) => x.decision.orientation === 'book');
  const matchOnce = ({ body, decision }: (typeof books)[number]) => {
    const plan = searchForDecision(ctx, client, decision, body);
    if (plan.kind === 'search') searchIndex(ctx, plan.search).map((c) => candidateView(c, plan.search.territory.timeZone));
  };
  for (let i = 0; i < WARMUP; i++) matchOnce(books[i % books.length]!);
  const matchSamples: number[] = [];
  for (const book of books) {
    const started = process.hrtime.bigint();
    matchOnce(book);
    matchSamples.push(micros(started));
  }

  // The whole use case, book requests only (the path with a match and the INSERT).
  const bookBodies = books.slice(0, REQUESTS + 50).map((b) => b.body);
  for (const body of bookBodies.slice(0, 50)) await createRequest(ctx, client, body);
  const requestSamples: number[] = [];
  for (const body of bookBodies.slice(50)) {
    const started = process.hrtime.bigint();
    await createRequest(ctx, client, body);
    requestSamples.push(micros(started));
  }

  const timer: number[] = [];
  for (let i = 0; i < 10_000; i++) { const started = process.hrtime.bigint(); timer.push(micros(started)); }

  const t = summarise(triageSamples);
  const m = summarise(matchSamples);
  const r = summarise(requestSamples);
  const tm = summarise(timer);
  const orientations = decisions.reduce<Record<string, number>>((acc, d) => ({ ...acc, [d.orientation]: (acc[d.orientation] ?? 0) + 1 }), {});
  process.stdout.write(`\nrequests triage cost${quick ? ' (quick)' : ''}: ${index.size} free slots in the index, ${SIZE.professionals} professionals, ${SIZE.territories} territories; `
    + `inputs ${JSON.stringify(orientations)}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n\n`);
  table([
    ['in-process, one call at a time', 'p50 µs', 'p99 µs', 'n'],
    ['triage (triageRequest)', fmt(t.p50, 2), fmt(t.p99, 2), t.n],
    ['match (searchForDecision + searchIndex + views)', fmt(m.p50, 2), fmt(m.p99, 2), m.n],
    ['createRequest, book (triage + match + INSERT)', fmt(r.p50, 0), fmt(r.p99, 0), r.n],
    ['timer overhead (hrtime pair)', fmt(tm.p50, 2), fmt(tm.p99, 2), tm.n],
  ]);
  const percent = (part: number, whole: number) => (100 * part / whole).toPrecision(2);
  process.stdout.write(`\ntriage share of createRequest: p50 ${percent(t.p50, r.p50)} %, p99 ${percent(t.p99, r.p99)} %; `
    + `triage / match at p50: ${percent(t.p50, m.p50)} %\n`);
  writeResults('requests-triage-cost', quick, {
    postgres: await postgresVersion(bench.url),
    figures: { triageP50Us: t.p50, triageP99Us: t.p99, createRequestP50Us: r.p50, createRequestP99Us: r.p99 },
    baselines: { matchP50Us: m.p50, matchP99Us: m.p99, timerP50Us: tm.p50 },
    guarded: {},
  });
} finally {
  for (const close of closers.reverse()) await close();
  await bench.dispose();
}
