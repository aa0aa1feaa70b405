// What each profession typically offers in SNP: skills, modalities, slot lengths
// and practice labels. Probabilities are rough orders of magnitude, for realism only.
import type { Modality, Profession } from '../core/domain.js';

/** Skills the demo uses; 'sutures' and 'rapid-strep-test' are the codes the default triage rules ask for. */
export const DEMO_SKILLS = [
  'paediatrics', 'sutures', 'ecg', 'wound-care', 'rapid-strep-test', 'urine-dipstick', 'contraception',
  'injections', 'blood-tests', 'respiratory-physio', 'sports-injuries', 'vestibular-rehab', 'gynaecology', 'prenatal',
] as const;
export type DemoSkill = (typeof DEMO_SKILLS)[number];

export interface ProfessionProfile {
  /** Skill → probability that a professional of this kind has it. */
  skills: Partial<Record<DemoSkill, number>>;
  /** Modality → probability it is offered (office is decided by `officeProbability`). */
  extraModalities: Partial<Record<Exclude<Modality, 'office'>, number>>;
  officeProbability: number;
  slotMinutes: readonly number[];
  siteLabels: readonly string[];
  /** Share of women, to pick given names (nursing and midwifery are mostly female professions). */
  femaleShare: number;
}

export const PROFESSION_PROFILES: Partial<Record<Profession, ProfessionProfile>> = {
  gp: {
    skills: { sutures: 0.45, ecg: 0.6, paediatrics: 0.3, 'rapid-strep-test': 0.7, 'wound-care': 0.4, 'urine-dipstick': 0.6, contraception: 0.3 },
    extraModalities: { home: 0.2, video: 0.3 },
    officeProbability: 1,
    slotMinutes: [15, 15, 20, 20, 30],
    siteLabels: ['Cabinet médical', 'Maison de santé pluriprofessionnelle', 'Cabinet de médecine générale', 'Centre de santé'],
    femaleShare: 0.5,
  },
  nurse: {
    skills: { 'wound-care': 0.9, injections: 0.9, 'blood-tests': 0.8, sutures: 0.2, 'urine-dipstick': 0.3 },
    extraModalities: { home: 0.85 },
    officeProbability: 0.7,
    slotMinutes: [15, 20, 30],
    siteLabels: ['Cabinet infirmier', 'Maison de santé pluriprofessionnelle', 'Cabinet de soins infirmiers'],
    femaleShare: 0.85,
  },
  physio: {
    skills: { 'respiratory-physio': 0.5, 'sports-injuries': 0.6, 'vestibular-rehab': 0.2, paediatrics: 0.15 },
    extraModalities: { home: 0.35 },
    officeProbability: 1,
    slotMinutes: [30],
    siteLabels: ['Cabinet de kinésithérapie', 'Maison de santé pluriprofessionnelle', 'Centre de rééducation'],
    femaleShare: 0.5,
  },
  midwife: {
    skills: { gynaecology: 0.9, contraception: 0.95, prenatal: 0.95, 'urine-dipstick': 0.5 },
    extraModalities: { home: 0.2, video: 0.4 },
    officeProbability: 1,
    slotMinutes: [30],
    siteLabels: ['Cabinet de sage-femme', 'Maison de santé pluriprofessionnelle'],
    femaleShare: 0.97,
  },
  paediatrician: {
    skills: { paediatrics: 1, 'rapid-strep-test': 0.8, 'urine-dipstick': 0.5 },
    extraModalities: { video: 0.3 },
    officeProbability: 1,
    slotMinutes: [20, 30],
    siteLabels: ['Cabinet de pédiatrie', 'Centre de santé', 'Maison de santé pluriprofessionnelle'],
    femaleShare: 0.65,
  },
};

export function professionProfile(profession: Profession): ProfessionProfile {
  const profile = PROFESSION_PROFILES[profession];
  if (!profile) throw new RangeError(`no demo profile for profession ${profession}`);
  return profile;
}
