// Public API of the in-memory slot index and matcher.
export type { Candidate, FreeSlot, MatchQuery, ProfessionalInfo, SiteInfo } from './free-slot.js';
export { SlotIndex } from './slot-index.js';
export { ServedSlotIndex, type FreeSlotIndex } from './served-slot-index.js';
export { servedTerritories, otherServedTerritories, isServedInAny } from './served-territories.js';
export { matchBruteForce } from './brute-force.js';
export { compareCandidates } from './candidate-order.js';
export { DistanceFrom, EARTH_RADIUS_KM, haversineKm, type LatLon } from './geo.js';
export { BUCKET_MS, bucketOf } from './time-bucket.js';
export { UuidMap } from './uuid-map.js';
