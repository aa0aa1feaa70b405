// A neighbour of a demo territory, to show professionals who serve two CPTS
// (issue 14). Not one of the three territories of SPEC §7: it has no on-call
// professionals of its own in the demo; its members are the Vénissieux
// professionals who practise nearest to it, across the boundary, as a practice
// near the edge of two CPTS often joins both.
//
// Saint-Fons and Feyzin both border Vénissieux (to the north-west and the
// south). The CPTS is synthetic: its name, FINESS and phone are made up like
// those of the demo territories; codes, names and populations come from INSEE.
import { distanceKm } from './geo.js';
import { inseeCommune } from './insee.js';
import { syntheticOrganisation } from './organisation.js';
import { SeededRandom, seedFromString } from './prng.js';
import { DEMO_POLICY } from './demo-territories.js';
import type { DemoCommune, DemoTerritory } from './types.js';

export interface DemoNeighbour {
  territory: DemoTerritory;
  /** Professionals of `of` who serve the neighbour too, by RPPS. */
  memberRpps: string[];
  of: string;
}

/** Chef-lieu coordinates (French Wikipedia infobox, from IGN), as in commune-centres.json for the demo communes. */
const CENTRES: Readonly<Record<string, { lat: number; lon: number }>> = {
  '69199': { lat: 45.7086, lon: 4.8533 }, // Saint-Fons
  '69276': { lat: 45.6728, lon: 4.8589 }, // Feyzin
};

/** How many professionals of Vénissieux also serve it: those whose practice is nearest to it. */
const MEMBERS = 6;

function commune(code: string): DemoCommune {
  const { name, population, postalCode } = inseeCommune(code);
  return { code, name, population, centre: { ...CENTRES[code]! }, postalCode };
}

/** The neighbours of the demo territories, given those territories (deterministic). */
export function demoNeighbours(territories: readonly DemoTerritory[]): DemoNeighbour[] {
  const venissieux = territories.find((t) => t.id === 'venissieux');
  if (venissieux === undefined) return [];
  const name = 'CPTS Saint-Fons Feyzin';
  const communes = Object.keys(CENTRES).map(commune);
  const random = new SeededRandom(seedFromString('snp-demo/saint-fons-feyzin/v1'));
  const territory: DemoTerritory = {
    id: 'saint-fons-feyzin', name, timeZone: 'Europe/Paris', communes, policy: { ...DEMO_POLICY },
    organisation: syntheticOrganisation(name, '69', random), professionals: [],
  };
  // Nearest first to either commune's centre; ties by RPPS so the choice never moves.
  const nearest = (sites: { lat: number; lon: number }[]) =>
    Math.min(...sites.flatMap((s) => communes.map((c) => distanceKm(s, c.centre))));
  const members = venissieux.professionals
    .filter((p) => p.bands.length > 0)
    .map((p) => ({ rpps: p.rpps, km: nearest(p.sites) }))
    .sort((a, b) => a.km - b.km || (a.rpps < b.rpps ? -1 : 1))
    .slice(0, MEMBERS)
    .map((m) => m.rpps);
  return [{ territory, memberRpps: members, of: venissieux.id }];
}
