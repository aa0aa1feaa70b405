// The text form of sites.address. The column is free text; the form
// "<street>, <5-digit postal code> <city>" (what the demo seed writes) can be
// read back into parts (the SAS's FrLocationAgregateur address needs them).

export interface PostalAddressParts { line: string; postalCode: string; city: string }

/** The parts of an address written in the form above; undefined for any other text. */
export function parseSiteAddress(text: string | null): PostalAddressParts | undefined {
  const m = text === null ? null : /^\s*(.+?)\s*,\s*(\d{5})\s+(.+?)\s*$/.exec(text);
  return m ? { line: m[1]!, postalCode: m[2]!, city: m[3]! } : undefined;
}

/** The inverse of parseSiteAddress, for whoever writes sites (the demo seed). */
export function formatSiteAddress(address: PostalAddressParts): string {
  return `${address.line}, ${address.postalCode} ${address.city}`;
}
