// The counter socket's commands counted and timed like their HTTP routes
// (channel 'ws'): bookings, holds, conflicts (a 409 problem) and match latency.
import { ApiProblem } from '../usecases/problem.js';
import { bookingsTotal, holdsTotal, matchDuration, slotConflictsTotal } from './metrics.js';

export async function observeCounterCommand<R extends { replayed?: boolean }>(type: string, run: () => Promise<R>): Promise<R> {
  const stopMatch = type === 'match' ? matchDuration.startTimer({ channel: 'ws' }) : undefined;
  try {
    const outcome = await run();
    if (type === 'book') bookingsTotal.inc({ channel: 'ws', result: outcome.replayed === true ? 'replayed' : 'created' });
    else if (type === 'cancel') bookingsTotal.inc({ channel: 'ws', result: 'cancelled' });
    else if (type === 'hold') holdsTotal.inc({ channel: 'ws', result: 'placed' });
    return outcome;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 409 && (type === 'book' || type === 'hold')) {
      slotConflictsTotal.inc({ channel: 'ws', operation: type === 'book' ? 'booking' : 'hold' });
    }
    throw error;
  } finally {
    stopMatch?.();
  }
}
