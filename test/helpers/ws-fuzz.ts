// Hostile WebSocket frames for the three channels: commands of the counter
// socket with bodies shaped by the HTTP schemas of the same use cases (from the
// OpenAPI document) and bent, acks and resumes with absurd positions, unknown
// types, broken or non-object JSON, binary frames, oversized frames. Each frame
// is sent alone and its answer awaited, so answers pair with frames.
import fc from 'fast-check';
import WebSocket from 'ws';
import { hostileJson, hostileString, shaped, type JsonSchema, type KnownValues } from './hostile.js';

export type Frame =
  | { kind: 'message'; message: Record<string, unknown>; expectId: string | null }
  | { kind: 'text'; text: string }
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'oversized'; bytes: number };

/** The HTTP body schema each counter command shares with its route. */
export function counterSchemas(document: { paths: Record<string, Record<string, any>> }): Record<string, JsonSchema | undefined> {
  const body = (path: string) => document.paths[path]?.post?.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
  return {
    triage: body('/v1/triage'), request: body('/v1/requests'), match: body('/v1/match'), hold: body('/v1/holds'), book: body('/v1/bookings'),
    cancel: { type: 'object', properties: { bookingId: { type: 'string', format: 'uuid' }, reason: { type: 'string', maxLength: 200 } }, required: ['bookingId'] },
  };
}

let sequence = 0;

export function frameFor(types: Record<string, JsonSchema | undefined>, known: KnownValues): fc.Arbitrary<Frame> {
  const typed = fc.constantFrom(...Object.keys(types)).chain((type) => fc.record({
    type: fc.constant(type),
    body: types[type] !== undefined ? shaped(types[type]!, known) : hostileJson,
    idempotencyKey: fc.oneof(fc.uuid(), hostileString),
  }, { requiredKeys: ['type'] }));
  const stream = fc.oneof(
    fc.record({ type: fc.constant('ack'), eventId: fc.oneof(fc.integer(), hostileJson) }),
    fc.record({ type: fc.constant('resume'), after: fc.oneof(fc.integer(), hostileJson) }),
  );
  const odd = fc.dictionary(fc.oneof(hostileString, fc.constantFrom('type', 'id', '__proto__', 'body')), hostileJson, { maxKeys: 4 });
  const withId = (message: Record<string, unknown>): Frame => {
    const id = `f${++sequence}`;
    return { kind: 'message', message: { ...message, id }, expectId: id };
  };
  return fc.oneof(
    { weight: 8, arbitrary: typed.map(withId) },
    { weight: 3, arbitrary: stream.map(withId) },
    { weight: 2, arbitrary: odd.map(withId) },
    // An id that is no id (answered with id null), or one too long to be valid (answered under it, refused).
    { weight: 1, arbitrary: fc.tuple(typed, fc.oneof(fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({ a: 1 })))
      .map(([m, id]): Frame => ({ kind: 'message', message: { ...m, id }, expectId: null })) },
    { weight: 1, arbitrary: typed.map((m): Frame => { const id = `${'x'.repeat(101)}${++sequence}`; return { kind: 'message', message: { ...m, id }, expectId: id }; }) },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom('{', '[]', '"x"', '42', 'null', '{"type":}', '\u0000', ''), fc.string({ unit: 'binary', maxLength: 100 })).map((text): Frame => ({ kind: 'text', text })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes): Frame => ({ kind: 'binary', bytes })) },
    { weight: 1, arbitrary: fc.integer({ min: 70_000, max: 200_000 }).map((bytes): Frame => ({ kind: 'oversized', bytes })) },
  );
}

export interface WsOutcome { answer?: any; closed?: { code: number } ; verdict: string | null }

/**
 * Sends one frame and waits for what it earns: an answer with its id (ok, or a
 * 4xx problem), an `id: null` refusal for frames that carry no usable id, or
 * for a frame over the size limit a close 1009. Anything else is a verdict.
 */
export function sendFrame(socket: WebSocket, frame: Frame, timeoutMs = 15_000, maxPayloadBytes = 64 * 1024): Promise<WsOutcome> {
  const payload = frame.kind === 'message' ? JSON.stringify(frame.message)
    : frame.kind === 'text' ? frame.text
      : frame.kind === 'binary' ? Buffer.from(frame.bytes)
        : JSON.stringify({ id: 'big', type: 'match', body: { filler: 'x'.repeat(frame.bytes) } });
  const tooBig = Buffer.byteLength(payload) > maxPayloadBytes;
  return new Promise((resolve) => {
    const done = (outcome: WsOutcome) => { clearTimeout(timer); socket.off('message', onMessage); socket.off('close', onClose); resolve(outcome); };
    const timer = setTimeout(() => done({ verdict: 'no answer within 15 s' }), timeoutMs);
    const onClose = (code: number) => done(tooBig && code === 1009
      ? { closed: { code }, verdict: null } : { closed: { code }, verdict: `socket closed ${code}${tooBig ? '' : ' on a frame within the size limit'}` });
    const onMessage = (data: WebSocket.RawData) => {
      let m: any;
      try { m = JSON.parse(data.toString()); } catch { return done({ verdict: `an answer that is not JSON: ${data.toString().slice(0, 100)}` }); }
      if (typeof m.ok !== 'boolean') return; // pushes (availability, events) are not answers
      const expected = frame.kind === 'message' ? frame.expectId : null;
      if (m.id !== expected) return;
      if (m.ok) return done({ answer: m, verdict: null });
      const error = m.error;
      if (typeof error?.status !== 'number' || typeof error.type !== 'string' || typeof error.title !== 'string') return done({ answer: m, verdict: `a refusal without a problem body: ${JSON.stringify(m).slice(0, 200)}` });
      if (error.status >= 500) return done({ answer: m, verdict: `${error.status}: ${JSON.stringify(error).slice(0, 200)}` });
      if (error.status === 429) return done({ answer: m, verdict: 'rate limited: the fuzzer went too fast' });
      return done({ answer: m, verdict: null });
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.send(payload, { binary: frame.kind === 'binary' });
  });
}
