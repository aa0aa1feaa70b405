// The paced load generator's coordinated-omission correction (bench/lib/stats.ts):
// autocannon 9 used an interval of 1 ms whatever the pace, so a single slow
// answer set a phase's p99 (README, Security: "Why earlier figures were wrong").
import t from 'tap';
import { summarise, withHeldBackRequests } from '../bench/lib/stats.js';

t.test('an answer slower than the pace stands for the requests due meanwhile', async (t) => {
  t.same(withHeldBackRequests([3, 60, 2], 25), [3, 60, 35, 2]);
  t.same(withHeldBackRequests([75], 25), [75, 50, 25]);
  t.same(withHeldBackRequests([24.9, 25], 25), [24.9, 25]);
  t.throws(() => withHeldBackRequests([1], 0), RangeError);
});

t.test('at 40 requests a second, one 20 ms answer among 600 does not set the p99', async (t) => {
  const answers = [...Array.from({ length: 599 }, () => 0.3), 20];
  t.equal(summarise(withHeldBackRequests(answers, 25)).p99, 0.3);
  // autocannon's 1 ms interval made it 19 more samples (19 … 1 ms): the p99 became 14 ms.
  t.equal(summarise(withHeldBackRequests(answers, 1)).p99, 14);
});
