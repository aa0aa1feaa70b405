// A V8 CPU profile (node:inspector's Profiler) read as "where the time went":
// each sample charged to the innermost frame that belongs to a known concern
// (validation, logging, serialisation…), so a native leaf (a RegExp, JSON.parse)
// counts for the library that called it. Relative shares hold on a loaded machine.
import { Session } from 'node:inspector/promises';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
export interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** url fragment → concern; the first rule a frame matches names its concern. */
const RULES: [RegExp, string][] = [
  [/node_modules\/(zod|fastify-type-provider-zod)\//, 'validation (zod)'],
  [/node_modules\/fast-json-stringify\//, 'serialisation (fast-json-stringify)'],
  [/node_modules\/(pino|pino-std-serializers|sonic-boom|fast-redact|@pinojs|on-exit-leak-free|thread-stream|quick-format-unescaped|fast-safe-stringify)\//, 'logging (pino)'],
  [/node_modules\/(prom-client|tdigest|bintrees)\//, 'metrics (prom-client)'],
  [/src\/observability\//, 'metrics (prom-client)'],
  [/node_modules\/(date-fns|date-fns-tz)\//, 'time formatting (date-fns-tz)'],
  [/src\/core\/time\//, 'time formatting (date-fns-tz)'],
  [/node_modules\/@fastify\/helmet\/|node_modules\/helmet\//, 'security headers (helmet)'],
  [/node_modules\/@fastify\/under-pressure\//, 'overload (under-pressure)'],
  [/node_modules\/@fastify\/websocket\//, 'websocket plugin'],
  [/src\/auth\//, 'authentication + rate limit (src/auth)'],
  [/src\/core\/index\//, 'index match (src/core/index)'],
  [/src\/logging\.ts/, 'logging (pino)'],
  [/src\/usecases\//, 'use case (src/usecases)'],
  [/src\/(http|server)\//, 'routes and hooks (src/http, src/server)'],
  [/src\/db\//, 'database adapters (src/db)'],
  [/node_modules\/(pg|pg-protocol|pg-pool|pg-types|pg-cursor|postgres-[a-z]+|pgpass|buffer-writer|packet-reader)\//, 'pg driver'],
  [/node_modules\/kysely\//, 'kysely'],
  [/node_modules\/(fastify|find-my-way|avvio|light-my-request|fast-querystring|secure-json-parse|@fastify\/[a-z-]+|toad-cache|fast-decode-uri-component|abstract-logging|process-warning|rfdc|fast-uri|ajv|json-schema-ref-resolver)\//, 'fastify core'],
  [/^node:/, 'node core (http, net, streams, crypto)'],
];
const SPECIAL: Record<string, string> = { '(garbage collector)': 'garbage collection', '(idle)': 'idle', '(program)': 'V8 / native (program)', '(root)': 'V8 / native (program)' };

export async function startProfiling(intervalUs = 200): Promise<() => Promise<CpuProfile>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    return profile as unknown as CpuProfile;
  };
}

/** A frame as the reports print it: function, then file from node_modules/ or src/, and line. */
export function frameName(frame: CallFrame): string {
  return `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${frame.lineNumber + 1}`;
}

export interface Breakdown { concerns: { concern: string; ms: number; share: number }[]; busyMs: number; topFunctions: { name: string; ms: number }[] }

export function breakdown(profile: CpuProfile): Breakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const concernOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = concernOf.get(id);
    if (known !== undefined) return known;
    const frame = byId.get(id)!.callFrame;
    let concern = Object.hasOwn(SPECIAL, frame.functionName) ? SPECIAL[frame.functionName] : undefined;
    if (concern === undefined) concern = RULES.find(([pattern]) => pattern.test(frame.url))?.[1] ?? '';
    if (concern === '') { // native or unknown: its caller's concern
      const up = parent.get(id);
      concern = up === undefined ? 'other' : classify(up);
    }
    concernOf.set(id, concern);
    return concern;
  };
  const concerns = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const concern = classify(id);
    concerns.set(concern, (concerns.get(concern) ?? 0) + ms);
    const f = byId.get(id)!.callFrame;
    const name = frameName(f);
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + ms);
  }
  const busyMs = [...concerns].filter(([c]) => c !== 'idle').reduce((a, [, ms]) => a + ms, 0);
  return {
    busyMs,
    concerns: [...concerns].filter(([c]) => c !== 'idle').sort((a, b) => b[1] - a[1]).map(([concern, ms]) => ({ concern, ms, share: ms / busyMs })),
    topFunctions: [...selfByFunction].filter(([n]) => !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([name, ms]) => ({ name, ms })),
  };
}
