// API problems as the person at the counter needs them: what happened and what
// to do, never the raw problem body.
import type { Problem } from './counter-socket.js';

export function explain(problem: Problem): string {
  if (problem.type === 'offline' || problem.status === 0) {
    return 'La connexion au service est coupée. Vérifiez le réseau ; la page se reconnecte seule, puis recommencez.';
  }
  if (problem.status === 401) return 'Votre session a pris fin. Reconnectez-vous pour continuer.';
  if (problem.status === 403) return "Votre compte n'a pas accès à ce territoire. Demandez à la coordination de votre CPTS.";
  if (problem.status === 404) return "Ce créneau ou cette réservation n'existe plus. Relancez la recherche.";
  if (problem.status === 409) return 'Ce créneau vient d\'être pris par quelqu\'un d\'autre.';
  if (problem.status === 429) return 'Trop de demandes en peu de temps. Patientez quelques secondes puis recommencez.';
  if (problem.status === 503) return 'Le service est momentanément surchargé. Réessayez dans un instant.';
  if (problem.status === 400 || problem.status === 422) {
    const field = problem.errors?.[0]?.field ?? '';
    if (field.includes('phone')) return 'Le numéro de téléphone ne semble pas valide : chiffres, espaces ou points, par exemple 06 12 34 56 78.';
    if (field.includes('name')) return 'Indiquez le nom ou les initiales du patient (100 caractères au plus).';
    if (field.includes('age')) return "L'âge doit être un nombre entre 0 et 130.";
    if (field.includes('commune')) return "Cette commune n'est pas desservie par la CPTS. Choisissez une commune de la liste.";
    if (field.includes('pregnant')) return 'Une grossesse ne peut être indiquée que pour une patiente.';
    return 'Une information saisie n\'est pas acceptée. Vérifiez le formulaire puis recommencez.';
  }
  return "Une erreur inattendue est survenue. Recommencez ; si cela persiste, prévenez la coordination de la CPTS.";
}
