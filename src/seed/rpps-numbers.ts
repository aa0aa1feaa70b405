// Demo RPPS numbers: valid (11 digits, Luhn key) but never a real professional's.
// Real RPPS numbers are handed out from 10000000000 upwards and are still in the
// 10… range; demo numbers start with 19 and a digit per territory, so they cannot
// collide with a real person nor with another territory's demo numbers.
import { rppsFromPrefix } from '../core/rpps.js';
import type { SeededRandom } from './prng.js';

export function demoRppsAllocator(territoryDigit: number, random: SeededRandom): () => string {
  if (!Number.isInteger(territoryDigit) || territoryDigit < 0 || territoryDigit > 9) throw new RangeError('territory digit 0–9');
  const used = new Set<string>();
  return () => {
    for (;;) {
      const serial = String(random.int(0, 9_999_999)).padStart(7, '0');
      const rpps = rppsFromPrefix(`19${territoryDigit}${serial}`);
      if (!used.has(rpps)) {
        used.add(rpps);
        return rpps;
      }
    }
  };
}
