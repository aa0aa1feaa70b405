// Demo data of SPEC §7, framework-free: a pure description that a seeder writes
// into the database. See demo-territories.ts for the head counts and their reasons.
export { CINOR_EPCI, DEMO_POLICY, ROYAN_ATLANTIQUE_EPCI, VENISSIEUX_COMMUNE, demoTerritories } from './demo-territories.js';
export { DEMO_BANDS_VALID_FROM } from './demo-bands.js';
export { DEMO_SKILLS } from './profession-profiles.js';
export { type LatLon, distanceKm } from './geo.js';
export { demoNeighbours, type DemoNeighbour } from './neighbour-territories.js';
export type { DemoBand, DemoCommune, DemoOrganisation, DemoProfessional, DemoSite, DemoTerritory, SnpPolicy } from './types.js';
