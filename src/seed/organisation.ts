// The CPTS organisation identifier. Real CPTS are registered in FINESS; the SAS
// FHIR profiles carry the IDNST, which for a FINESS entity is '1' followed by the
// 9-digit FINESS number (2 for the département, 6 serial, 1 Luhn key). The demo
// numbers are SYNTHETIC: right shape and key, but not registered to anyone.
import { luhnCheckDigit } from '../core/rpps.js';
import type { SeededRandom } from './prng.js';
import type { DemoOrganisation } from './types.js';

/** `departement` is the 2-character code, or '97' + one digit for overseas ('974' for La Réunion). */
export function syntheticOrganisation(name: string, departement: string, random: SeededRandom): DemoOrganisation {
  if (!/^(\d{2}|97\d)$/.test(departement)) throw new RangeError(`département code: ${departement}`);
  const serialDigits = 8 - departement.length;
  const body = departement + String(random.int(0, 10 ** serialDigits - 1)).padStart(serialDigits, '0');
  const finess = body + String(luhnCheckDigit(body));
  return { name, finess, idnst: `1${finess}`, phone: fictionalPhone('1 99 00', finess), synthetic: true };
}

/**
 * A phone number in a block ARCEP reserves for fiction (01 99 00 xx xx for
 * the CPTS, 06 39 98 xx xx for professionals): never anyone's line. Derived
 * from an identifier, not drawn, so adding it changed no other demo value.
 */
export function fictionalPhone(block: '1 99 00' | '6 39 98', identifier: string): string {
  const digits = identifier.slice(-4).padStart(4, '0');
  return `+33 ${block} ${digits.slice(0, 2)} ${digits.slice(2)}`;
}
