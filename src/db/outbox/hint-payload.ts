// The payloads of the outbox_events notifications an after-commit hint sends
// (src/db/slot-change-hint.ts) and the feed reads (outbox-feed.ts): each a JSON
// array of events, [stream, seq, type, payload JSON text, created ms], or ''
// ("look": the feed reads the new events itself). PostgreSQL refuses a payload
// of 8,000 bytes or more; the events are cut into payloads under MAX_BYTES, and
// an event too large for one alone is announced by a plain ''.
import type { OutboxEvent } from '../../usecases/event-stream-store.js';

export const MAX_BYTES = 7_000;

type Encoded = [stream: string, seq: number, type: string, payloadJson: string, createdAtMs: number];

/** The notifications' payloads for `events`, with a plain '' when some events are unknown (or too large to carry). */
export function hintPayloads(events: readonly OutboxEvent[], unknown: boolean): string[] {
  const payloads: string[] = [];
  let look = unknown;
  let parts: string[] = [];
  let bytes = 2;
  for (const event of events) {
    const part = JSON.stringify([event.stream, event.seq, event.type, event.payloadJson, event.createdAtMs] satisfies Encoded);
    const size = Buffer.byteLength(part) + 1;
    if (size + 2 > MAX_BYTES) { look = true; continue; }
    if (bytes + size > MAX_BYTES) { payloads.push(`[${parts.join(',')}]`); parts = []; bytes = 2; }
    parts.push(part);
    bytes += size;
  }
  if (parts.length > 0) payloads.push(`[${parts.join(',')}]`);
  if (look) payloads.push('');
  return payloads;
}

const isEncoded = (value: unknown): value is Encoded => Array.isArray(value) && value.length === 5
  && typeof value[0] === 'string' && Number.isSafeInteger(value[1]) && typeof value[2] === 'string'
  && typeof value[3] === 'string' && typeof value[4] === 'number';

/** The events a payload carries; undefined for '' or anything not written by hintPayloads (then the feed reads). */
export function eventsOfPayload(payload: string): OutboxEvent[] | undefined {
  if (payload === '') return undefined;
  let parsed: unknown;
  try { parsed = JSON.parse(payload); } catch { return undefined; }
  if (!Array.isArray(parsed) || !parsed.every(isEncoded)) return undefined;
  return parsed.map(([stream, seq, type, payloadJson, createdAtMs]) => ({ stream, seq, type, payloadJson, createdAtMs }));
}
