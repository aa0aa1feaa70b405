// The soak's mixed load, as a CPTS's requesters would make it: match; match
// then book one of the candidates; match, hold, then book from the hold or
// release it; cancel one of our earlier bookings. Each request goes to the next
// instance (a round-robin load balancer); a 503 or a dropped connection is
// retried with the same Idempotency-Key on the next instance, as the SAS would.
import { randomUUID } from 'node:crypto';

export type OperationName = 'match' | 'book' | 'hold' | 'cancel';

export interface Ledger {
  /** Bookings acknowledged (201) and not cancelled since: id → what we know of it. */
  live: Map<string, { slotId: string; rpps: string; token: string }>;
  /** Every booking acknowledged, and every cancellation acknowledged: what the professionals' devices must receive. */
  created: Map<string, string>;
  cancelled: Map<string, string>;
}

export interface OperationStats {
  latencies: number[];
  /** Answers by status (0: no answer; -1: nothing to do). */
  statuses: Map<number, number>;
  /** Answers that broke the contract: a 5xx other than a retried 503, an unexpected status, no answer. */
  errors: string[];
  /** Requests sent again after a 503 or a dropped connection. */
  retries: number;
}

interface Instance { url: string }

const PATIENT = { name: 'Soak P.', phone: '+33 6 00 00 00 00' };
let turn = 0;

async function call(stats: OperationStats, instances: readonly Instance[], method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  for (let attempt = 0; ; attempt++) {
    const instance = instances[turn++ % instances.length]!;
    let status = 0;
    let json: any;
    try {
      const response = await fetch(instance.url + path, {
        method, signal: AbortSignal.timeout(30_000),
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      status = response.status;
      const text = await response.text();
      json = text === '' ? undefined : JSON.parse(text);
    } catch { status = 0; }
    // Shed load or a dropped connection: the same request again, elsewhere (bounded).
    if ((status === 503 || status === 0) && attempt < 20) {
      stats.retries++;
      await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
      continue;
    }
    return { status, json };
  }
}

/** -1: nothing to do (no free slot, no booking of ours to cancel): counted, not timed. */
function record(stats: OperationStats, started: number, status: number, expected: number[], what: string, problem?: { type?: string }): void {
  if (status !== -1) stats.latencies.push(performance.now() - started);
  stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
  if (!expected.includes(status)) stats.errors.push(`${what}: ${status} ${problem?.type ?? ''}`.trim());
}

async function candidates(stats: OperationStats, instances: readonly Instance[], token: string): Promise<{ id: string }[]> {
  const answer = await call(stats, instances, 'POST', '/v1/match', token, { territory: 'terr-a', limit: 10 });
  return answer.status === 200 ? answer.json.candidates.map((c: { slot: { id: string } }) => c.slot) : [];
}

const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

export async function runOperation(name: OperationName, instances: readonly Instance[], token: string, ledger: Ledger, stats: OperationStats): Promise<void> {
  const started = performance.now();
  switch (name) {
    case 'match': {
      const answer = await call(stats, instances, 'POST', '/v1/match', token, { commune: '69259', limit: 5 });
      return record(stats, started, answer.status, [200], 'match', answer.json);
    }
    case 'book': {
      const slot = pick(await candidates(stats, instances, token));
      if (slot === undefined) return record(stats, started, -1, [-1], 'book: nothing free');
      const answer = await call(stats, instances, 'POST', '/v1/bookings', token, { slotId: slot.id, patient: PATIENT }, { 'idempotency-key': randomUUID() });
      if (answer.status === 201) remember(ledger, answer.json.booking, token);
      return record(stats, started, answer.status, [201, 409], 'book', answer.json);
    }
    case 'hold': {
      const slot = pick(await candidates(stats, instances, token));
      if (slot === undefined) return record(stats, started, -1, [-1], 'hold: nothing free');
      const held = await call(stats, instances, 'POST', '/v1/holds', token, { slotId: slot.id });
      if (held.status !== 201) return record(stats, started, held.status, [409], 'hold', held.json);
      const holdId = held.json.hold.id as string;
      if (Math.random() < 0.5) {
        const released = await call(stats, instances, 'DELETE', `/v1/holds/${holdId}`, token);
        return record(stats, started, released.status, [204], 'hold then release', released.json);
      }
      const booked = await call(stats, instances, 'POST', '/v1/bookings', token, { holdId, patient: PATIENT }, { 'idempotency-key': randomUUID() });
      if (booked.status === 201) remember(ledger, booked.json.booking, token);
      return record(stats, started, booked.status, [201], 'hold then book', booked.json);
    }
    case 'cancel': {
      const mine = [...ledger.live].filter(([, b]) => b.token === token);
      const chosen = pick(mine);
      if (chosen === undefined) return record(stats, started, -1, [-1], 'cancel: nothing to cancel');
      const [id, booking] = chosen;
      ledger.live.delete(id); // no second cancellation of it while this one is in flight
      const answer = await call(stats, instances, 'POST', `/v1/bookings/${id}/cancel`, token, { reason: 'soak' });
      if (answer.status === 200) ledger.cancelled.set(id, booking.rpps);
      else ledger.live.set(id, booking);
      return record(stats, started, answer.status, [200], 'cancel', answer.json);
    }
  }
}

function remember(ledger: Ledger, booking: { id: string; slotId: string; professional: { rpps: string } }, token: string): void {
  ledger.live.set(booking.id, { slotId: booking.slotId, rpps: booking.professional.rpps, token });
  ledger.created.set(booking.id, booking.professional.rpps);
}
