// Official INSEE division data (@etalab/decoupage-administratif): commune codes,
// names and populations, and EPCI memberships. The files are large (8 MB), so they
// are read once, on first use, and only what the demo needs is kept.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface InseeCommune {
  code: string;
  name: string;
  population: number;
  /** The first of its postal codes (La Poste), e.g. '17200' for Royan. */
  postalCode: string;
  postalCodes: string[];
}

interface RawCommune { code: string; nom: string; type: string; population?: number; codesPostaux?: string[] }
interface RawEpci { code: string; nom: string; membres: Array<{ code: string }> }

const requireData = createRequire(import.meta.url);
let communes: Map<string, InseeCommune> | undefined;
let epcis: Map<string, RawEpci> | undefined;

function loadCommunes(): Map<string, InseeCommune> {
  if (!communes) {
    const raw = requireData('@etalab/decoupage-administratif/data/communes.json') as RawCommune[];
    communes = new Map();
    for (const c of raw) {
      // The file also lists former and delegated communes; only current ones are places to live.
      if (c.type === 'commune-actuelle') communes.set(c.code, { code: c.code, name: c.nom, population: c.population ?? 0, postalCode: c.codesPostaux?.[0] ?? '', postalCodes: c.codesPostaux ?? [] });
    }
  }
  return communes;
}

function loadEpcis(): Map<string, RawEpci> {
  if (!epcis) {
    const raw = requireData('@etalab/decoupage-administratif/data/epci.json') as RawEpci[];
    epcis = new Map(raw.map((e) => [e.code, e]));
  }
  return epcis;
}

export function inseeCommune(code: string): InseeCommune {
  const commune = loadCommunes().get(code);
  if (!commune) throw new Error(`commune ${code} is not a current commune in the INSEE data`);
  return commune;
}

/** Codes of the member communes of an EPCI (by its SIREN), in the package's order. */
export function epciMemberCodes(epciCode: string): string[] {
  const epci = loadEpcis().get(epciCode);
  if (!epci) throw new Error(`EPCI ${epciCode} is not in the INSEE data`);
  return epci.membres.map((m) => m.code);
}

/**
 * The postal codes of these communes (none for a code the INSEE data does not
 * know: test or hand-made communes). Reads the file without keeping it (the
 * whole map would stay at about 15 MB of heap in a running service): the
 * caller keeps what it needs.
 */
export function inseePostalCodes(codes: Iterable<string>): Map<string, string[]> {
  const wanted = new Set(codes);
  const found = new Map<string, string[]>([...wanted].map((code) => [code, []]));
  // Parsed here, not through require(), whose cache would keep the whole array.
  const raw = communes === undefined ? JSON.parse(readFileSync(requireData.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8')) as RawCommune[] : undefined;
  if (raw === undefined) {
    for (const code of wanted) found.set(code, communes?.get(code)?.postalCodes ?? []);
  } else {
    for (const c of raw) if (c.type === 'commune-actuelle' && wanted.has(c.code)) found.set(c.code, c.codesPostaux ?? []);
  }
  return found;
}
