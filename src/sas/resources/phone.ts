// Phone numbers as the SAS reads them: international form with no separators
// (the certification kit checks PractitionerRole.telecom against ^\+33\d{9}$,
// and +262, +590, +596, +594 overseas). We store them as people write them
// (sql/013); strict in what we send, so the FHIR layer prints them compactly.

/** "+33 6 39 98 56 78", "06.39.98.56.78" → "+33639985678"; a number of another shape keeps its digits and "+". */
export function fhirPhone(written: string): string {
  const compact = written.replace(/[\s().-]/g, '');
  return /^0[1-9]\d{8}$/.test(compact) ? `+33${compact.slice(1)}` : compact;
}
