// Just enough spherical geometry to place practice sites around a commune centre.

export interface LatLon {
  lat: number;
  lon: number;
}

const EARTH_RADIUS_KM = 6371.0088;
const radians = (degrees: number) => (degrees * Math.PI) / 180;
const degrees = (radiansValue: number) => (radiansValue * 180) / Math.PI;

/** Great-circle (haversine) distance in km. */
export function distanceKm(a: LatLon, b: LatLon): number {
  const dLat = radians(b.lat - a.lat);
  const dLon = radians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The point `km` away from `origin` heading `bearingDeg` (0 = north, 90 = east). */
export function pointAtDistance(origin: LatLon, km: number, bearingDeg: number): LatLon {
  const angular = km / EARTH_RADIUS_KM;
  const bearing = radians(bearingDeg);
  const lat1 = radians(origin.lat);
  const lon1 = radians(origin.lon);
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(angular) + Math.cos(lat1) * Math.sin(angular) * Math.cos(bearing));
  const lon2 = lon1 + Math.atan2(Math.sin(bearing) * Math.sin(angular) * Math.cos(lat1), Math.cos(angular) - Math.sin(lat1) * Math.sin(lat2));
  return { lat: degrees(lat2), lon: degrees(lon2) };
}

/** Rounded to 5 decimals (about 1 m): no false precision in stored demo data. */
export function roundCoordinates(point: LatLon): LatLon {
  return { lat: Math.round(point.lat * 1e5) / 1e5, lon: Math.round(point.lon * 1e5) / 1e5 };
}
