// Haversine distances. The matcher and the brute-force oracle both go through
// DistanceFrom.kmTo, so they compute bit-identical floats and agree exactly on
// the "≤ maxDistanceKm" boundary and on distance ties.

export const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** Distances from one origin; precomputes what the origin alone determines. */
export class DistanceFrom {
  readonly latRad: number;
  readonly lonRad: number;
  readonly cosLat: number;

  constructor(origin: LatLon) {
    this.latRad = origin.lat * RAD;
    this.lonRad = origin.lon * RAD;
    this.cosLat = Math.cos(this.latRad);
  }

  /** Great-circle distance in km. */
  km(to: LatLon): number {
    return this.kmTo(to.lat, to.lon);
  }

  kmTo(lat: number, lon: number): number {
    const toLat = lat * RAD;
    const halfDLat = Math.sin((toLat - this.latRad) / 2);
    const halfDLon = Math.sin((lon * RAD - this.lonRad) / 2);
    const h = halfDLat * halfDLat + this.cosLat * Math.cos(toLat) * halfDLon * halfDLon;
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /**
   * The widest longitude difference, in degrees, of any point within km of
   * the origin (the bounding box of a spherical cap), or Infinity when the cap
   * reaches a pole. Rounded up generously: it only ever lets a point through
   * to the exact test, never turns away one that kmTo would accept.
   */
  lonSpanDegWithin(km: number): number {
    const sinAngle = Math.sin(km / EARTH_RADIUS_KM);
    if (!(sinAngle < this.cosLat * 0.999) || km / EARTH_RADIUS_KM >= Math.PI / 2) return Infinity;
    return (Math.asin(sinAngle / this.cosLat) / RAD) * (1 + 1e-6) + 1e-9;
  }

  /**
   * A cheap lower bound of the distance to any point at this latitude: no path
   * is shorter than the latitude difference along a meridian. Lets the matcher
   * skip the trigonometry for sites that are clearly too far.
   */
  meridianKmTo(lat: number): number {
    return EARTH_RADIUS_KM * Math.abs(lat * RAD - this.latRad);
  }
}

/** The angle between two longitudes in degrees, in [0, 180] (across the antimeridian if shorter). */
export function longitudeGapDeg(a: number, b: number): number {
  const gap = Math.abs(a - b);
  return gap > 180 ? 360 - gap : gap;
}

export function haversineKm(a: LatLon, b: LatLon): number {
  return new DistanceFrom(a).km(b);
}
