// Synthetic street addresses of demo practices: the SAS Location profile
// (FrLocationAgregateur) requires a street line, a city and a postal code.
// Derived from the site's key alone, not drawn from the territory's random
// stream, so adding them changed no name, place or band of the demo data.
import { seedFromString } from './prng.js';
import type { DemoCommune } from './types.js';

const STREETS = [
  'rue de la République', 'avenue Jean Jaurès', 'place de la Mairie', 'rue Victor Hugo', 'boulevard Pasteur',
  'rue du Général de Gaulle', 'rue des Écoles', 'avenue de la Gare', 'rue Gambetta', 'rue du Marché',
  'allée des Tilleuls', 'rue Jules Ferry',
] as const;

export interface DemoAddress { line: string; postalCode: string; city: string }

export function demoAddress(siteKey: string, commune: DemoCommune): DemoAddress {
  const hash = seedFromString(`snp-demo/address/${siteKey}`);
  return { line: `${1 + (hash % 120)} ${STREETS[(hash >>> 8) % STREETS.length]}`, postalCode: commune.postalCode, city: commune.name };
}
