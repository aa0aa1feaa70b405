// Demo communes: code, name and population from INSEE, centre from commune-centres.json,
// and where around that centre a practice may be placed.
import centresFile from './commune-centres.json' with { type: 'json' };
import { type LatLon, pointAtDistance, roundCoordinates } from './geo.js';
import { inseeCommune } from './insee.js';
import type { SeededRandom } from './prng.js';
import type { DemoCommune } from './types.js';

interface CentreEntry {
  name: string;
  lat: number;
  lon: number;
  inlandBearingDeg?: number;
  radiusKm?: number;
}

const centres: Record<string, CentreEntry> = centresFile.centres;

/** Sites are spread up to this far from the centre: a small town's practices are near its centre. */
const DEFAULT_SITE_RADIUS_KM = 1.5;
/** Where the sea is close, sites stay within this many degrees of the inland direction. */
const INLAND_SPREAD_DEG = 60;

export function demoCommune(code: string): DemoCommune {
  const centre = centres[code];
  if (!centre) throw new Error(`no centre point for commune ${code}: add it to commune-centres.json`);
  const { name, population, postalCode } = inseeCommune(code);
  return { code, name, population, centre: { lat: centre.lat, lon: centre.lon }, postalCode };
}

/** A plausible practice location in the commune: near its centre, on the landward side. */
export function siteLocationIn(code: string, random: SeededRandom): LatLon {
  const centre = centres[code];
  if (!centre) throw new Error(`no centre point for commune ${code}`);
  const radius = centre.radiusKm ?? DEFAULT_SITE_RADIUS_KM;
  // sqrt keeps points evenly spread over the disc instead of bunched at the centre.
  const distance = radius * Math.sqrt(random.between(0.01, 1));
  const bearing = centre.inlandBearingDeg === undefined
    ? random.between(0, 360)
    : centre.inlandBearingDeg + random.between(-INLAND_SPREAD_DEG, INLAND_SPREAD_DEG);
  return roundCoordinates(pointAtDistance(centre, distance, bearing));
}
