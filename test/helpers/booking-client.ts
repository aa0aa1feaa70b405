// A well-behaved API client, as the SAS would be: one Idempotency-Key per
// booking attempt, and on 503 or a broken connection the same request again
// (on the next instance, as a load balancer would) until a definitive answer.
import { randomUUID } from 'node:crypto';
import { http } from './service.js';

export interface BookingAttempt {
  key: string;
  slotId: string;
  outcome: 'booked' | 'conflict' | 'refused' | 'gave-up';
  bookingId?: string;
  /** The problem body of a final refusal (409 or other 4xx). */
  problem?: any;
  /** Every answer, in order: HTTP statuses, 0 for a failed connection. */
  statuses: number[];
  /** Answers that were neither success nor a clean, retryable refusal (a 500, a 503 without problem+json or Retry-After). */
  unclean: { status: number; body: string }[];
}

export interface BookingClientOptions {
  instances: readonly { url: string; running?: boolean }[];
  token: string;
  /** Give up after this long (ms). */
  patienceMs?: number;
  retryDelayMs?: number;
}

export async function bookWithRetries(options: BookingClientOptions, slotId: string, patient: Record<string, unknown>, firstInstance = 0): Promise<BookingAttempt> {
  const key = randomUUID();
  const attempt: BookingAttempt = { key, slotId, outcome: 'gave-up', statuses: [], unclean: [] };
  const until = Date.now() + (options.patienceMs ?? 30_000);
  for (let i = firstInstance; Date.now() < until; i++) {
    const instance = options.instances[i % options.instances.length]!;
    if (instance.running === false) {
      await new Promise((resolve) => setTimeout(resolve, 10)); // every instance may be down
      continue;
    }
    const answer = await http(instance, 'POST', '/v1/bookings', {
      token: options.token, headers: { 'idempotency-key': key }, body: { slotId, patient },
    }).catch(() => null);
    const status = answer?.status ?? 0;
    attempt.statuses.push(status);
    if (answer !== null && status === 201) return { ...attempt, outcome: 'booked', bookingId: answer.json.booking.id };
    if (answer !== null && status === 409 && answer.json?.type === 'urn:problem:snp-match:slot-unavailable') return { ...attempt, outcome: 'conflict', problem: answer.json };
    if (answer !== null && status >= 400 && status < 500) {
      if (!isProblem(answer)) attempt.unclean.push({ status, body: answer.text.slice(0, 300) });
      return { ...attempt, outcome: 'refused', problem: answer.json };
    }
    if (answer !== null && !(status === 503 && isProblem(answer) && answer.headers.get('retry-after') !== null)) {
      attempt.unclean.push({ status, body: answer.text.slice(0, 300) });
    }
    await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 100));
  }
  return attempt;
}

function isProblem(answer: { headers: Headers; json: any }): boolean {
  return (answer.headers.get('content-type') ?? '').startsWith('application/problem+json')
    && typeof answer.json?.type === 'string' && typeof answer.json?.status === 'number';
}
