// The Régulation page's French words: professions, modalities, dates in the territory's zone.
export const PROFESSION_LABELS: Record<string, string> = {
  gp: 'Médecin généraliste',
  paediatrician: 'Pédiatre',
  nurse: 'Infirmier·e',
  physio: 'Masseur-kinésithérapeute',
  pharmacist: 'Pharmacien·ne',
  midwife: 'Sage-femme',
  dentist: 'Chirurgien·ne-dentiste',
};

export const MODALITY_LABELS: Record<string, string> = {
  office: 'au cabinet',
  home: 'à domicile',
  video: 'en téléconsultation',
};

/** « mardi 8 décembre, 14:20 – 14:40 » in the territory's zone (the patient's clock). */
export function slotWhen(start: string, end: string, timeZone: string): string {
  const day = new Intl.DateTimeFormat('fr-FR', { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(start));
  const time = new Intl.DateTimeFormat('fr-FR', { timeZone, hour: '2-digit', minute: '2-digit' });
  return `${day}, ${time.format(new Date(start))} – ${time.format(new Date(end))}`;
}
