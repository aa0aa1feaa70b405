// Synthetic professionals of a territory: who they are, where they practise,
// what they offer and when they are on call.
import { MODALITIES, type Modality, type Profession } from '../core/domain.js';
import { demoAddress } from './addresses.js';
import { demoBands } from './demo-bands.js';
import { siteLocationIn } from './communes.js';
import { FAMILY_NAMES_BY_REGION, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, type NameRegion } from './names.js';
import { fictionalPhone } from './organisation.js';
import { type DemoSkill, professionProfile } from './profession-profiles.js';
import type { SeededRandom } from './prng.js';
import type { DemoCommune, DemoProfessional, DemoSite } from './types.js';

export type Staffing = Partial<Record<Profession, number>>;

export interface ProfessionalsPlan {
  communes: readonly DemoCommune[];
  staffing: Staffing;
  nameRegion: NameRegion;
  nextRpps: () => string;
  random: SeededRandom;
}

/** A few practitioners work from two practices. */
const SECOND_SITE_PROBABILITY = 0.15;
/** Added to every commune's population when placing practices: villages get the odd one too. */
const VILLAGE_WEIGHT = 400;
const communeWeight = (commune: DemoCommune) => commune.population + VILLAGE_WEIGHT;

export function demoProfessionals(plan: ProfessionalsPlan): DemoProfessional[] {
  const { random } = plan;
  const usedNames = new Set<string>();
  const professionals: DemoProfessional[] = [];
  const staffing = Object.entries(plan.staffing) as Array<[Profession, number]>;
  const headCount = staffing.reduce((sum, [, count]) => sum + count, 0);
  const mainCommunes = random.spreadByWeight(plan.communes, communeWeight, headCount);
  for (const [profession, count] of staffing) {
    for (let i = 0; i < count; i++) {
      const rpps = plan.nextRpps();
      const { givenName, familyName } = uniqueName(profession, plan.nameRegion, usedNames, random);
      const sites = practiceSites(profession, rpps, mainCommunes[professionals.length] as DemoCommune, plan.communes, random);
      const modalities = offeredModalities(profession, random);
      professionals.push({
        rpps, givenName, familyName, profession, phone: fictionalPhone('6 39 98', rpps),
        skills: skillsOf(profession, random),
        modalities,
        sites,
        bands: demoBands(profession, modalities, sites, rpps, random),
      });
    }
  }
  return professionals;
}

function uniqueName(profession: Profession, region: NameRegion, used: Set<string>, random: SeededRandom) {
  const female = random.chance(professionProfile(profession).femaleShare);
  for (;;) {
    const givenName = random.pick(female ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES);
    const familyName = random.pick(FAMILY_NAMES_BY_REGION[region]);
    const key = `${givenName} ${familyName}`;
    if (!used.has(key)) {
      used.add(key);
      return { givenName, familyName };
    }
  }
}

function skillsOf(profession: Profession, random: SeededRandom): string[] {
  const entries = Object.entries(professionProfile(profession).skills) as Array<[DemoSkill, number]>;
  return entries.filter(([, probability]) => random.chance(probability)).map(([skill]) => skill);
}

function offeredModalities(profession: Profession, random: SeededRandom): Modality[] {
  const profile = professionProfile(profession);
  const offered = new Set<Modality>();
  if (random.chance(profile.officeProbability)) offered.add('office');
  for (const [modality, probability] of Object.entries(profile.extraModalities) as Array<[Modality, number]>) {
    if (random.chance(probability)) offered.add(modality);
  }
  if (offered.size === 0) offered.add(profession === 'nurse' ? 'home' : 'office');
  return MODALITIES.filter((m) => offered.has(m));
}

function practiceSites(profession: Profession, rpps: string, mainCommune: DemoCommune, communes: readonly DemoCommune[], random: SeededRandom): DemoSite[] {
  const siteCommunes = [mainCommune];
  if (random.chance(SECOND_SITE_PROBABILITY)) {
    // A second practice is usually in another commune of the territory (the same one in a one-commune CPTS).
    const others = communes.filter((c) => c.code !== mainCommune.code);
    siteCommunes.push(others.length > 0 ? random.weighted(others, communeWeight) : mainCommune);
  }
  const sites: DemoSite[] = [];
  for (const [i, commune] of siteCommunes.entries()) {
    const label = random.pick(professionProfile(profession).siteLabels);
    const key = `${rpps}-site-${i + 1}`;
    sites.push({
      key,
      label: label === 'Maison de santé pluriprofessionnelle' ? `${label} ${ofCommune(commune.name)}` : label,
      commune: commune.code,
      ...siteLocationIn(commune.code, random),
      address: demoAddress(key, commune),
    });
  }
  return sites;
}

/** French "of" before a commune name: de Royan, d'Arvert, du Chay, des Mathes, de La Tremblade. */
export function ofCommune(name: string): string {
  if (name.startsWith('Les ')) return `des ${name.slice(4)}`;
  if (name.startsWith('Le ')) return `du ${name.slice(3)}`;
  if (/^[AEIOUYÉÈÊÀÂÎÔ]/.test(name)) return `d'${name}`;
  return `de ${name}`;
}
