// The words of the counter: codes of the API in the professionals' French.
export const COMPLAINT_LABELS: Record<string, string> = {
  'urinary-burning': 'Brûlures urinaires',
  'sore-throat': 'Mal de gorge',
  'fever': 'Fièvre',
  'cough': 'Toux',
  'ear-pain': "Douleur d'oreille",
  'back-pain': 'Mal de dos',
  'wound': 'Plaie',
  'sprain': 'Entorse',
  'rash': 'Éruption cutanée',
  'abdominal-pain': 'Douleur abdominale',
  'headache': 'Maux de tête',
  'chest-pain': 'Douleur thoracique',
  'dyspnea': 'Difficulté à respirer',
  'other': 'Autre motif',
};

export const RED_FLAG_LABELS: Record<string, string> = {
  'chest-pain': 'Douleur thoracique',
  'dyspnea': 'Difficulté à respirer',
  'altered-consciousness': 'Trouble de la conscience',
  'neurological-deficit': 'Déficit neurologique',
  'severe-bleeding': 'Saignement abondant',
  'suicidal-ideation': 'Idées suicidaires',
  'fever-over-38': 'Fièvre > 38 °C',
  'chills': 'Frissons',
  'lumbar-pain': 'Douleur lombaire',
  'vomiting': 'Vomissements',
  'drooling': 'Hypersalivation',
  'trismus': 'Trismus (bouche difficile à ouvrir)',
  'immunosuppression': 'Immunodépression',
  'recurrent-uti': 'Cystites à répétition',
};

export const PROFESSION_LABELS: Record<string, string> = {
  gp: 'Médecin généraliste',
  nurse: 'Infirmier·e',
  physio: 'Masseur-kinésithérapeute',
  pharmacist: 'Pharmacien·ne',
  midwife: 'Sage-femme',
  dentist: 'Chirurgien·ne-dentiste',
  paediatrician: 'Pédiatre',
};

export const MODALITY_LABELS: Record<string, string> = {
  office: 'Au cabinet',
  home: 'À domicile',
  video: 'Téléconsultation',
};

const DAY = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long' });
const TIME = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });

/** « mardi 10 mars à 14:40 » in the browser's zone (the territory's, on a counter of the territory). */
export function when(iso: string): string {
  const date = new Date(iso);
  return `${DAY.format(date)} à ${TIME.format(date)}`;
}

export function delayLabel(minutes: number | null): string {
  if (minutes === null) return '';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return `${hours} h`;
}

export function distanceLabel(km: number | undefined): string {
  if (km === undefined) return '';
  return km < 1 ? `${Math.round(km * 1000)} m` : `${km.toFixed(1).replace('.', ',')} km`;
}
