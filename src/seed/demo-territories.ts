// The three demo territories of SPEC §7, built deterministically (seeded PRNG)
// from the official INSEE division data.
//
// Head counts: Vénissieux has its real 154 professionals. Royan Atlantique counts
// 661 professionals of every kind, but only a part of them (GPs, nurses, physios
// and a few midwives and paediatricians) take SNP on-call bands: 96 here. The
// Nord-Réunion CPTS (CINOR) gets 72, in proportion to its population.
import { bandRuleProblems, bandsMayOverlap } from '../core/time/index.js';
import { demoCommune } from './communes.js';
import { epciMemberCodes } from './insee.js';
import type { NameRegion } from './names.js';
import { syntheticOrganisation } from './organisation.js';
import { SeededRandom, seedFromString } from './prng.js';
import { type Staffing, demoProfessionals } from './professionals.js';
import { demoRppsAllocator } from './rpps-numbers.js';
import type { DemoProfessional, DemoTerritory, SnpPolicy } from './types.js';

/** SPEC: within 48 hours; a hold lasts 3 minutes; a booking unacknowledged after 10 minutes is escalated. */
export const DEMO_POLICY: Readonly<SnpPolicy> = { horizonHours: 48, holdTtlSeconds: 180, ackDeadlineSeconds: 600 };

/** CA Royan Atlantique (33 communes) and CINOR (Saint-Denis, Sainte-Marie, Sainte-Suzanne), by SIREN. */
export const ROYAN_ATLANTIQUE_EPCI = '241700640';
export const CINOR_EPCI = '249740119';
export const VENISSIEUX_COMMUNE = '69259';

interface TerritoryPlan {
  id: string;
  name: string;
  timeZone: string;
  /** For the synthetic FINESS number. */
  departement: string;
  communeCodes: () => string[];
  staffing: Staffing;
  nameRegion: NameRegion;
  /** Third digit of the territory's demo RPPS numbers. */
  rppsDigit: number;
}

const PLANS: readonly TerritoryPlan[] = [
  {
    id: 'royan-atlantique',
    name: 'CPTS Royan Atlantique',
    timeZone: 'Europe/Paris',
    departement: '17',
    communeCodes: () => epciMemberCodes(ROYAN_ATLANTIQUE_EPCI),
    staffing: { gp: 36, nurse: 30, physio: 22, midwife: 4, paediatrician: 4 },
    nameRegion: 'saintonge',
    rppsDigit: 1,
  },
  {
    id: 'venissieux',
    name: 'CPTS Vénissieux',
    timeZone: 'Europe/Paris',
    departement: '69',
    communeCodes: () => [VENISSIEUX_COMMUNE],
    staffing: { gp: 58, nurse: 44, physio: 38, midwife: 8, paediatrician: 6 },
    nameRegion: 'lyon',
    rppsDigit: 2,
  },
  {
    id: 'nord-reunion',
    name: 'CPTS Nord Réunion',
    timeZone: 'Indian/Reunion',
    departement: '974',
    communeCodes: () => epciMemberCodes(CINOR_EPCI),
    staffing: { gp: 28, nurse: 22, physio: 16, midwife: 3, paediatrician: 3 },
    nameRegion: 'reunion',
    rppsDigit: 3,
  },
];

/** The demo territories, identical on every call (fresh objects each time: callers may mutate them). */
export function demoTerritories(): DemoTerritory[] {
  return PLANS.map(buildTerritory);
}

function buildTerritory(plan: TerritoryPlan): DemoTerritory {
  // One seed per territory: changing one territory's plan leaves the others as they were.
  const random = new SeededRandom(seedFromString(`snp-demo/${plan.id}/v1`));
  const communes = plan.communeCodes().map(demoCommune);
  const organisation = syntheticOrganisation(plan.name, plan.departement, random);
  const professionals = demoProfessionals({
    communes, staffing: plan.staffing, nameRegion: plan.nameRegion, nextRpps: demoRppsAllocator(plan.rppsDigit, random), random,
  });
  professionals.forEach(assertBandsAreSound);
  return { id: plan.id, name: plan.name, timeZone: plan.timeZone, communes, policy: { ...DEMO_POLICY }, organisation, professionals };
}

/** A generator bug must fail here, not as an exclusion-constraint error in the seeder. */
function assertBandsAreSound(professional: DemoProfessional): void {
  const rules = professional.bands.map((b) => b.rule);
  rules.forEach((rule) => {
    const problems = bandRuleProblems(rule);
    if (problems.length > 0) throw new Error(`demo band of ${professional.rpps}: ${problems.join('; ')}`);
  });
  rules.forEach((a, i) => rules.slice(i + 1).forEach((b) => {
    if (bandsMayOverlap(a, b)) throw new Error(`demo bands of ${professional.rpps} overlap`);
  }));
}
