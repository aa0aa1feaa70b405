// The shape of the demo data handed to whoever writes it into the database.
// Plain data, no ids: sites and bands carry stable string keys so a seeder can
// link rows and re-run idempotently (e.g. keyed on RPPS).
import type { Modality, Profession } from '../core/domain.js';
import type { BandRule } from '../core/time/index.js';
import type { LatLon } from './geo.js';

export interface DemoCommune {
  /** INSEE code, e.g. '17306'. */
  code: string;
  name: string;
  population: number;
  centre: LatLon;
  /** La Poste code of the commune (not its INSEE code). */
  postalCode: string;
}

export interface SnpPolicy {
  horizonHours: number;
  holdTtlSeconds: number;
  ackDeadlineSeconds: number;
}

/** The CPTS as an organisation. The identifiers are synthetic (see organisation.ts). */
export interface DemoOrganisation {
  name: string;
  /** 9 digits: département, serial, Luhn key. */
  finess: string;
  /** IDNST as the SAS FHIR profiles expect it: '1' + FINESS. */
  idnst: string;
  /** Synthetic, in a range reserved for fiction (see organisation.ts). */
  phone: string;
  synthetic: true;
}

export interface DemoSite {
  key: string;
  label: string;
  commune: string;
  lat: number;
  lon: number;
  /** Synthetic street address (see addresses.ts). */
  address: { line: string; postalCode: string; city: string };
}

export interface DemoBand {
  key: string;
  /** Key of the professional's site the band runs from (home visits leave from it too). */
  siteKey: string;
  modality: Modality;
  rule: BandRule;
}

export interface DemoProfessional {
  /** Valid 11-digit RPPS, outside the range given to real professionals (see rpps-numbers.ts). */
  rpps: string;
  givenName: string;
  familyName: string;
  profession: Profession;
  skills: string[];
  modalities: Modality[];
  /** Synthetic, in a range reserved for fiction (see organisation.ts). */
  phone: string;
  sites: DemoSite[];
  bands: DemoBand[];
}

export interface DemoTerritory {
  id: string;
  name: string;
  timeZone: string;
  communes: DemoCommune[];
  policy: SnpPolicy;
  organisation: DemoOrganisation;
  professionals: DemoProfessional[];
}
