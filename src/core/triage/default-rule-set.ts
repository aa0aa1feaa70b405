import type { Modality } from '../domain.js';
import { parseRuleSet } from './parse-rule-set.js';
import type { RuleSet } from './rule-set-schema.js';

// The national default rule set, used by every territory that has none of its
// own. Order matters (first match wins): life-threatening signs first, then
// each protocol's exclusions before the protocol itself, then the ordinary
// complaints, then the catch-all.
//
// Sources: the HAS cooperation protocols named by the CPTS seeds
// ("pollakiurie et brûlures mictionnelles" of women aged 16–65, "odynophagie"
// from age 10 with the rapid strep test, TROD angine) and SPEC §6.
// Delays: "the same day" is 720 min (12 h); "within 24 h" is 1440; ordinary
// complaints get 24–48 h; nothing is ever promised beyond 2880 (48 h).

const LIFE_THREATENING = [
  'chest-pain', 'dyspnea', 'altered-consciousness', 'neurological-deficit', 'severe-bleeding', 'suicidal-ideation',
];
/** Signs of upper urinary infection (pyelonephritis): exclude the protocol, need a doctor today. */
const PYELONEPHRITIS_SIGNS = ['fever-over-38', 'chills', 'lumbar-pain', 'vomiting'];
/** Needs a physical examination: no teleconsultation. */
const EXAMINATION: Modality[] = ['office', 'home'];

const DOCUMENT = {
  name: 'Règles nationales par défaut',
  description: 'Default national triage rules for SNP requests (SPEC §6), used when a territory has no rule set of its own.',
  rules: [
    // ── Vital emergencies ────────────────────────────────────────────────
    {
      id: 'call15-life-threatening-flag',
      when: { anyFlags: LIFE_THREATENING },
      then: {
        orientation: 'call-15',
        reason:
          "Signe de gravité vitale (douleur thoracique, dyspnée, trouble de la conscience, déficit neurologique, hémorragie grave ou idées suicidaires) : appel du 15, pas de rendez-vous.",
      },
    },
    {
      id: 'call15-chest-pain-or-dyspnea',
      when: { complaints: ['chest-pain', 'dyspnea'] },
      then: {
        orientation: 'call-15',
        reason: "Douleur thoracique ou dyspnée comme motif : régulation médicale immédiate par le 15 (ECG, évaluation respiratoire).",
      },
    },

    // ── Pollakiurie / brûlures mictionnelles (cystite) ──────────────────
    {
      id: 'cystitis-pregnant-pyelonephritis-signs',
      description: 'Suspected pyelonephritis in pregnancy is hospital care (maternity), not a GP appointment.',
      when: { complaints: ['urinary-burning'], pregnant: true, anyFlags: PYELONEPHRITIS_SIGNS },
      then: {
        orientation: 'call-15',
        reason:
          "Brûlures mictionnelles chez une femme enceinte avec fièvre, frissons, douleur lombaire ou vomissements : pyélonéphrite gravidique possible, avis du 15 (orientation maternité).",
      },
    },
    {
      id: 'cystitis-pyelonephritis-signs',
      when: { complaints: ['urinary-burning'], anyFlags: PYELONEPHRITIS_SIGNS },
      then: {
        orientation: 'book',
        maxDelayMinutes: 720,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason:
          "Brûlures mictionnelles avec fièvre > 38 °C, frissons, douleur lombaire ou vomissements : pyélonéphrite possible, hors protocole ; médecin généraliste le jour même (≤ 12 h), examen clinique.",
      },
    },
    {
      id: 'cystitis-pharmacy-protocol',
      description: 'HAS protocol: uncomplicated cystitis of a woman aged 16 to 65, confirmed female, not pregnant.',
      when: {
        complaints: ['urinary-burning'],
        sex: 'female',
        ageMin: 16,
        ageMax: 65,
        pregnant: false,
        noneFlags: [...PYELONEPHRITIS_SIGNS, 'recurrent-uti', 'immunosuppression'],
      },
      then: {
        orientation: 'pharmacy-protocol',
        professions: ['pharmacist'],
        reason:
          "Cystite simple présumée (femme de 16 à 65 ans, non enceinte, sans fièvre, frissons, douleur lombaire, vomissements, récidive ni immunodépression) : protocole de coopération en pharmacie (bandelette urinaire, antibiotique si positive).",
      },
    },
    {
      id: 'cystitis-pregnant',
      when: { complaints: ['urinary-burning'], pregnant: true },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp', 'midwife'],
        modalities: EXAMINATION,
        reason:
          "Brûlures mictionnelles pendant la grossesse : exclue du protocole, ECBU et traitement adapté ; médecin généraliste ou sage-femme sous 24 h.",
      },
    },
    {
      id: 'cystitis-recurrent-or-immunosuppressed',
      when: { complaints: ['urinary-burning'], anyFlags: ['recurrent-uti', 'immunosuppression'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason:
          "Cystite récidivante ou patient immunodéprimé : exclue du protocole (ECBU nécessaire) ; médecin généraliste sous 24 h.",
      },
    },
    {
      id: 'cystitis-under-16',
      when: { complaints: ['urinary-burning'], ageMax: 15 },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp', 'paediatrician'],
        modalities: EXAMINATION,
        reason: "Brûlures mictionnelles avant 16 ans : hors protocole (réservé aux 16–65 ans) ; médecin sous 24 h.",
      },
    },
    {
      id: 'cystitis-over-65',
      when: { complaints: ['urinary-burning'], ageMin: 66 },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason: "Brûlures mictionnelles après 65 ans : infection urinaire à risque de complication, hors protocole ; médecin généraliste sous 24 h.",
      },
    },
    {
      id: 'cystitis-male',
      when: { complaints: ['urinary-burning'], sex: 'male' },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason: "Brûlures mictionnelles chez l'homme : jamais une cystite simple (prostatite possible), hors protocole ; médecin généraliste sous 24 h.",
      },
    },
    {
      id: 'cystitis-sex-unknown',
      description: 'The protocol is for women only: without a confirmed sex it cannot be applied.',
      when: { complaints: ['urinary-burning'], sex: 'unknown' },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason:
          "Brûlures mictionnelles, sexe non renseigné : le protocole pharmacien est réservé aux femmes et demande cette confirmation ; médecin généraliste sous 24 h (ou renseigner le sexe).",
      },
    },

    // ── Odynophagie (mal de gorge) ───────────────────────────────────────
    {
      id: 'sore-throat-drooling',
      description: 'Cannot swallow saliva: airway at risk (epiglottitis, retropharyngeal or peritonsillar abscess).',
      when: { complaints: ['sore-throat'], allFlags: ['drooling'] },
      then: {
        orientation: 'call-15',
        reason:
          "Mal de gorge avec hypersalivation (ne peut plus avaler sa salive) : risque d'obstruction des voies aériennes (épiglottite, abcès), régulation par le 15.",
      },
    },
    {
      id: 'sore-throat-trismus',
      description: 'Trismus suggests a peritonsillar abscess: seen by a doctor within hours, ENT drainage if confirmed.',
      when: { complaints: ['sore-throat'], allFlags: ['trismus'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 240,
        professions: ['gp'],
        modalities: ['office'],
        reason:
          "Mal de gorge avec trismus : phlegmon péri-amygdalien possible, hors protocole TROD ; examen par un médecin dans les 4 h (avis ORL si confirmé ; toute gêne respiratoire → 15).",
      },
    },
    {
      id: 'sore-throat-immunosuppressed',
      description: 'A sore throat can reveal agranulocytosis (e.g. under chemotherapy or some drugs): blood count the same day.',
      when: { complaints: ['sore-throat'], allFlags: ['immunosuppression'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 720,
        professions: ['gp'],
        modalities: ['office'],
        reason:
          "Mal de gorge chez un patient immunodéprimé : hors protocole (agranulocytose possible) ; médecin généraliste le jour même (≤ 12 h).",
      },
    },
    {
      id: 'sore-throat-pharmacy-protocol',
      description: 'HAS odynophagia protocol from age 10: Mac Isaac score, then rapid strep test (TROD angine).',
      when: { complaints: ['sore-throat'], ageMin: 10, noneFlags: ['dyspnea', 'drooling', 'trismus', 'immunosuppression'] },
      then: {
        orientation: 'pharmacy-protocol',
        professions: ['pharmacist'],
        skills: ['rapid-strep-test'],
        reason:
          "Odynophagie à partir de 10 ans sans dyspnée, hypersalivation, trismus ni immunodépression : protocole en pharmacie (score de Mac Isaac, TROD angine, antibiotique si positif).",
      },
    },
    {
      id: 'sore-throat-under-10',
      when: { complaints: ['sore-throat'], ageMax: 9 },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp', 'paediatrician'],
        modalities: ['office'],
        reason: "Mal de gorge avant 10 ans : hors protocole pharmacien ; examen et TROD par un médecin sous 24 h.",
      },
    },

    // ── Fièvre ───────────────────────────────────────────────────────────
    {
      id: 'fever-infant-under-1',
      description: 'Ages are in completed years, so an infant of 2 months and one of 11 months both have age 0.',
      when: { complaints: ['fever'], ageMax: 0 },
      then: {
        orientation: 'book',
        maxDelayMinutes: 240,
        professions: ['paediatrician', 'gp'],
        modalities: EXAMINATION,
        reason:
          "Fièvre chez un nourrisson de moins d'un an : examen médical dans les 4 h. Avant 3 mois, toute fièvre relève du 15 : à vérifier avec l'appelant.",
      },
    },
    {
      id: 'fever-immunosuppressed',
      when: { complaints: ['fever'], allFlags: ['immunosuppression'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 240,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason:
          "Fièvre chez un patient immunodéprimé : examen médical dans les 4 h ; sous chimiothérapie (neutropénie fébrile possible), appeler le 15.",
      },
    },
    {
      id: 'fever-child-under-6',
      when: { complaints: ['fever'], ageMax: 5 },
      then: {
        orientation: 'book',
        maxDelayMinutes: 720,
        professions: ['paediatrician', 'gp'],
        modalities: EXAMINATION,
        reason: "Fièvre chez un jeune enfant (moins de 6 ans) : pédiatre ou médecin généraliste le jour même (≤ 12 h).",
      },
    },
    {
      id: 'fever',
      when: { complaints: ['fever'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason: "Fièvre sans signe de gravité : médecin généraliste sous 24 h.",
      },
    },

    // ── Céphalées ────────────────────────────────────────────────────────
    {
      id: 'headache-meningeal-signs',
      when: { complaints: ['headache'], allFlags: ['fever-over-38', 'vomiting'] },
      then: {
        orientation: 'call-15',
        reason: "Céphalées avec fièvre > 38 °C et vomissements : syndrome méningé possible, régulation par le 15.",
      },
    },
    {
      id: 'headache-fever-or-vomiting',
      when: { complaints: ['headache'], anyFlags: ['fever-over-38', 'vomiting'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 360,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason: "Céphalées avec fièvre ou vomissements : médecin généraliste dans les 6 h.",
      },
    },
    {
      id: 'headache',
      when: { complaints: ['headache'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp'],
        reason: "Céphalées sans signe de gravité : médecin généraliste sous 24 h (téléconsultation possible).",
      },
    },

    // ── Douleur abdominale ───────────────────────────────────────────────
    {
      id: 'abdominal-pain-pregnant',
      when: { complaints: ['abdominal-pain'], pregnant: true },
      then: {
        orientation: 'call-15',
        reason: "Douleur abdominale pendant la grossesse (grossesse extra-utérine, menace d'accouchement…) : avis du 15.",
      },
    },
    {
      id: 'abdominal-pain-fever-or-vomiting',
      when: { complaints: ['abdominal-pain'], anyFlags: ['fever-over-38', 'vomiting'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 360,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason: "Douleur abdominale avec fièvre ou vomissements (appendicite possible) : examen par un médecin dans les 6 h.",
      },
    },
    {
      id: 'abdominal-pain',
      when: { complaints: ['abdominal-pain'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason: "Douleur abdominale sans signe de gravité : médecin généraliste sous 24 h.",
      },
    },

    // ── Traumatologie et appareil locomoteur ─────────────────────────────
    {
      id: 'wound',
      description: 'A fresh wound is best closed within about 6 hours; tetanus status to be checked.',
      when: { complaints: ['wound'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 360,
        professions: ['gp', 'nurse'],
        skills: ['sutures'],
        modalities: EXAMINATION,
        reason:
          "Plaie : suture idéalement dans les 6 h par un médecin (ou infirmier formé) ; vérifier la vaccination antitétanique. Saignement abondant → 15.",
      },
    },
    {
      id: 'back-pain-fever',
      when: { complaints: ['back-pain'], allFlags: ['fever-over-38'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 720,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason: "Douleur du dos fébrile (pyélonéphrite, infection rachidienne) : médecin généraliste le jour même (≤ 12 h).",
      },
    },
    {
      id: 'back-pain',
      when: { complaints: ['back-pain'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp', 'physio'],
        modalities: EXAMINATION,
        reason: "Lombalgie aiguë sans signe de gravité : médecin généraliste ou kinésithérapeute sous 24 h.",
      },
    },
    {
      id: 'sprain',
      description: 'A sprain is best assessed after the first days (Ottawa rules for X-rays); 48 h is fine.',
      when: { complaints: ['sprain'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 2880,
        professions: ['gp', 'physio'],
        modalities: ['office'],
        reason: "Entorse : médecin généraliste ou kinésithérapeute sous 48 h (règles d'Ottawa pour la radiographie).",
      },
    },

    // ── ORL, respiratoire, peau ──────────────────────────────────────────
    {
      id: 'ear-pain-child',
      when: { complaints: ['ear-pain'], ageMax: 15 },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp', 'paediatrician'],
        modalities: ['office'],
        reason: "Otalgie chez l'enfant : otoscopie par un médecin sous 24 h.",
      },
    },
    {
      id: 'ear-pain',
      when: { complaints: ['ear-pain'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp'],
        modalities: ['office'],
        reason: "Otalgie : otoscopie par un médecin généraliste sous 24 h.",
      },
    },
    {
      id: 'cough-fever',
      when: { complaints: ['cough'], allFlags: ['fever-over-38'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 1440,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason: "Toux fébrile (pneumopathie possible) : auscultation par un médecin généraliste sous 24 h.",
      },
    },
    {
      id: 'cough',
      when: { complaints: ['cough'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 2880,
        professions: ['gp'],
        reason: "Toux sans fièvre ni gêne respiratoire : médecin généraliste sous 48 h.",
      },
    },
    {
      id: 'rash-fever',
      when: { complaints: ['rash'], allFlags: ['fever-over-38'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 360,
        professions: ['gp'],
        modalities: EXAMINATION,
        reason: "Éruption fébrile : examen par un médecin dans les 6 h ; taches qui ne s'effacent pas à la pression (purpura) → 15 immédiatement.",
      },
    },
    {
      id: 'rash',
      when: { complaints: ['rash'] },
      then: {
        orientation: 'book',
        maxDelayMinutes: 2880,
        professions: ['gp'],
        modalities: ['office', 'video'],
        reason: "Éruption sans fièvre : médecin généraliste sous 48 h (téléconsultation possible).",
      },
    },

    // ── Tout le reste ────────────────────────────────────────────────────
    {
      id: 'catch-all',
      when: {},
      then: {
        orientation: 'book',
        maxDelayMinutes: 2880,
        professions: ['gp'],
        reason: "Aucune règle particulière : consultation de médecine générale dans le délai SNP de 48 h.",
      },
    },
  ],
} satisfies RuleSet;

/** The version under which the shipped default is compiled and reported. */
export const DEFAULT_RULE_SET_VERSION = 1;

/** The national default, validated when this module loads (a broken default fails fast at start). */
export const DEFAULT_RULE_SET: RuleSet = mustParse(DOCUMENT);

function mustParse(document: unknown): RuleSet {
  const parsed = parseRuleSet(document);
  if (!parsed.ok) {
    throw new Error(`the default rule set is invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
  return parsed.ruleSet;
}
