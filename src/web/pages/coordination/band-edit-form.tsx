// « Modifier » an astreinte in place (PATCH /v1/admin/bands/:id): its hours,
// slot length, and its day (one-day astreinte) or last day (recurring one). The
// calendar follows at once; a prise en charge booked outside the new hours is
// kept, and the coordinator is told how many, and what to do about them.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';

export interface EditableBand { id: string; daysOfWeek: number[]; localStart: string; localEnd: string; slotMinutes: number; validFrom: string; validUntil: string | null; professional: { name: string } }

const isoWeekday = (date: string) => ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;

interface Answer { slotsCreated: number; slotsRemoved: number; bookedSlotsKept: number }

/** The answer in words: what opened, what went, and the prises en charge kept outside the new hours. */
function said(answer: Answer): string {
  const kept = answer.bookedSlotsKept === 0 ? ''
    : ` ${answer.bookedSlotsKept} prise(s) en charge déjà réservée(s) hors des nouveaux horaires sont maintenue(s) : si le professionnel ne peut pas les assurer, prévenez le patient puis annulez-les.`;
  return `Astreinte modifiée : ${answer.slotsCreated} créneau(x) ouvert(s), ${answer.slotsRemoved} retiré(s).${kept}`;
}

async function refusal(response: Response): Promise<string> {
  const problem = (await response.json().catch(() => ({}))) as { type?: string; errors?: { field: string }[] };
  if (response.status === 404) return 'Cette astreinte n\'existe plus (annulée entre-temps) : la liste est mise à jour.';
  if (problem.type?.endsWith(':band-overlap') === true) return 'Ces horaires chevauchent une autre astreinte du même professionnel : choisissez d\'autres heures ou modifiez l\'autre astreinte.';
  if (problem.type?.endsWith(':band-slot-held') === true) return 'Un patient est en train de choisir un créneau que cette modification retire : rien n\'a changé, réessayez dans quelques minutes.';
  if (response.status === 400) {
    const field = problem.errors?.[0]?.field ?? '';
    if (field.endsWith('validUntil')) return 'Le dernier jour doit être après le premier jour de l\'astreinte.';
    if (field.endsWith('slotMinutes')) return 'La durée d\'un créneau va de 5 à 240 minutes.';
    return 'Vérifiez les heures (au format HH:MM, la fin après le début) et réessayez.';
  }
  return 'L\'astreinte n\'a pas été modifiée. Réessayez ; si cela persiste, contactez le support.';
}

export function BandEditForm({ band, onDone, onCancel }: { band: EditableBand; onDone: (message: string) => void; onCancel: () => void }) {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const oneDay = band.validUntil === band.validFrom;
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const value = (name: string) => String(form.get(name) ?? '');
    const changes: Record<string, unknown> = { localStart: value('start'), localEnd: value('end'), slotMinutes: Number(value('slotMinutes')) };
    if (oneDay) {
      const day = value('day');
      if (day === '') { setMessage('Choisissez le jour de l\'astreinte.'); return; }
      Object.assign(changes, { daysOfWeek: [isoWeekday(day)], validFrom: day, validUntil: day });
    } else {
      changes.validUntil = value('until') === '' ? null : value('until');
    }
    setBusy(true);
    const response = await api(`/v1/admin/bands/${band.id}`, { method: 'PATCH', body: JSON.stringify(changes) }).catch(() => null);
    setBusy(false);
    if (response === null) { setMessage('Pas de réseau : l\'astreinte n\'a pas été modifiée. Réessayez.'); return; }
    if (!response.ok) { setMessage(await refusal(response)); return; }
    onDone(said((await response.json()) as Answer));
  };
  return (
    <form onSubmit={submit} aria-labelledby="edit-band" data-testid="band-edit">
      <h3 id="edit-band">Modifier l'astreinte de {band.professional.name}</h3>
      <div class="grid">
        {oneDay
          ? <div><label for="edit-band-day">Jour de l'astreinte</label><input id="edit-band-day" type="date" name="day" defaultValue={band.validFrom} required /></div>
          : <div><label for="edit-band-until">Dernier jour (vide : sans fin)</label><input id="edit-band-until" type="date" name="until" defaultValue={band.validUntil ?? ''} /></div>}
        <div><label for="edit-band-start">Début de l'astreinte</label><input id="edit-band-start" type="time" name="start" step={300} defaultValue={band.localStart} required /></div>
        <div><label for="edit-band-end">Fin de l'astreinte</label><input id="edit-band-end" type="time" name="end" step={300} defaultValue={band.localEnd} required /></div>
        <div><label for="edit-band-slot">Durée d'un créneau (minutes)</label><input id="edit-band-slot" type="number" name="slotMinutes" min={5} max={240} defaultValue={band.slotMinutes} required /></div>
      </div>
      {message !== '' ? <p role="alert" data-testid="band-edit-message">{message}</p> : null}
      <div role="group">
        <button type="submit" disabled={busy}>Enregistrer les nouveaux horaires</button>
        <button type="button" class="secondary outline" onClick={onCancel}>Ne pas modifier</button>
      </div>
    </form>
  );
}
