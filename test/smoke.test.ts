import t from 'tap';
import { isValidRpps, rppsFromPrefix } from '../src/core/rpps.js';
t.test('rpps', async (t) => {
  t.ok(isValidRpps(rppsFromPrefix('1000000000')));
  t.notOk(isValidRpps('1000000000'));
});
