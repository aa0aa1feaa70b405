// Logical ids of the resources we emit. FHIR R4 ids are [A-Za-z0-9\-\.]{1,64}.
// A Schedule and its PractitionerRole belong to one professional at one site,
// so their id pairs two of our ids; two UUIDs joined verbatim (73 chars) would
// not fit, hence a reversible compact form that GET /fhir/Schedule/:id can undo.

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLAIN = /^[A-Za-z0-9-]+$/;
const UUID_BASE36_LENGTH = 25; // 36^25 > 2^128

export function isFhirId(id: string): boolean {
  return FHIR_ID.test(id);
}

/** Our own ids used directly as FHIR ids (slot, professional, territory) must already be valid. */
export function fhirId(id: string): string {
  if (!FHIR_ID.test(id)) throw new Error(`not usable as a FHIR id: ${JSON.stringify(id)}`);
  return id;
}

// A part is "u" + the UUID in base 36, or "x" + the id as is; neither contains
// ".", which therefore separates the two parts unambiguously.
function encodePart(id: string): string {
  if (UUID.test(id)) {
    return 'u' + BigInt('0x' + id.replaceAll('-', '')).toString(36).padStart(UUID_BASE36_LENGTH, '0');
  }
  if (PLAIN.test(id)) return 'x' + id;
  throw new Error(`not encodable in a FHIR id: ${JSON.stringify(id)}`);
}

function decodePart(part: string): string | undefined {
  const body = part.slice(1);
  if (part.startsWith('x') && PLAIN.test(body)) return body;
  if (part.startsWith('u') && /^[0-9a-z]{25}$/.test(body)) {
    let n = 0n;
    for (const ch of body) n = n * 36n + BigInt(parseInt(ch, 36));
    if (n >= 1n << 128n) return undefined;
    const hex = n.toString(16).padStart(32, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return undefined;
}

// Encoding a UUID through BigInt costs ~7 µs, twice per Slot of a search answer;
// the same few hundred professional-site pairs come back in every SAS search,
// so the ids are memoised (bounded: cleared when full).
const PAIR_MEMO_LIMIT = 100_000;
const pairMemo = new Map<string, string>();

export function pairId(first: string, second: string): string {
  const key = `${first}|${second}`;
  let id = pairMemo.get(key);
  if (id === undefined) {
    id = fhirId(`${encodePart(first)}.${encodePart(second)}`);
    if (pairMemo.size >= PAIR_MEMO_LIMIT) pairMemo.clear();
    pairMemo.set(key, id);
  }
  return id;
}

/** Inverse of pairId; undefined for an id we did not make. UUIDs come back lower-case. */
export function unpairId(id: string): [string, string] | undefined {
  const parts = id.split('.');
  if (parts.length !== 2) return undefined;
  const first = decodePart(parts[0] ?? '');
  const second = decodePart(parts[1] ?? '');
  return first !== undefined && second !== undefined ? [first, second] : undefined;
}

/** Schedule and PractitionerRole of one professional at one site share this id. */
export function scheduleId(professionalId: string, siteId: string): string {
  return pairId(professionalId, siteId);
}
