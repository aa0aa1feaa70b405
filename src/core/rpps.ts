// RPPS numbers (Répertoire Partagé des Professionnels de Santé) are 11 digits,
// the last one a Luhn check digit over the first ten. The national identifier
// used by FHIR (IDNPS) is "8" followed by the RPPS.

export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // Walk from the right; the digit next to the (missing) check digit is doubled.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidRpps(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  return luhnCheckDigit(value.slice(0, 10)) === value.charCodeAt(10) - 48;
}

/** Completes ten digits into a valid RPPS (used by generators and tests). */
export function rppsFromPrefix(tenDigits: string): string {
  if (!/^\d{10}$/.test(tenDigits)) throw new Error('an RPPS prefix is ten digits');
  return tenDigits + String(luhnCheckDigit(tenDigits));
}

/**
 * A person's login from a national health-professional identifier (IDNPS): an RPPS
 * holder's is `8` + the 11-digit RPPS (Pro Santé Connect's SubjectNameID, the SAS's
 * regulator accounts), which maps to the RPPS; any other is the login as it is.
 */
export function loginOfIdnps(value: string): string {
  return /^8\d{11}$/.test(value) ? value.slice(1) : value;
}
