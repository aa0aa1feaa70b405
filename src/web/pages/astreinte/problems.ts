// What a failed request means for the professional, in French: what happened
// and what to do — never the problem body itself.
export async function outcomeError(response: Response): Promise<string> {
  let type = '';
  try { type = String(((await response.json()) as { type?: unknown }).type ?? ''); } catch { /* not JSON: worded by status */ }
  if (type.endsWith('too-early')) return "Le créneau n'a pas encore commencé : vous pourrez l'indiquer à partir de son heure de début.";
  if (type.endsWith('invalid-transition')) return 'Cette prise en charge a déjà changé (annulée ou déjà renseignée). La liste est mise à jour.';
  if (response.status === 401) return 'Votre session a pris fin. Reconnectez-vous.';
  if (response.status === 404) return "Cette prise en charge n'existe plus ou ne vous concerne pas. La liste est mise à jour.";
  if (response.status === 429) return 'Trop de demandes en peu de temps. Réessayez dans quelques secondes.';
  if (response.status >= 500) return 'Le service ne répond pas correctement. Réessayez dans un instant.';
  return "La demande n'a pas abouti. Réessayez ; si cela persiste, prévenez la coordination.";
}

export const OFFLINE_ADVICE = 'Hors ligne — reconnexion… Vos prises en charge arriveront dès le retour du réseau, sans doublon.';
