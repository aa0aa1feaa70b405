// « Un professionnel tombe malade »: its open slots are blocked and its
// bookings over the period cancelled (the requesters are told), one request.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';

interface Professional { id: string; familyName: string; givenName: string; profession: string; active: boolean }

export function IllnessForm({ territory, onDone }: { territory: string; onDone: () => void }) {
  const [professionals, setProfessionals] = useState<Professional[]>([]);
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void (async () => {
      const response = await api(`/v1/admin/professionals?territory=${encodeURIComponent(territory)}`).catch(() => null);
      if (response?.ok === true) setProfessionals(((await response.json()) as { professionals: Professional[] }).professionals.filter((p) => p.active));
    })();
  }, [territory]);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const until = String(form.get('until') ?? '');
    if (until === '') { setResult('Indiquez jusqu\'à quand le professionnel est absent.'); return; }
    setBusy(true);
    const response = await api(`/v1/admin/professionals/${String(form.get('professional'))}/unavailable`, {
      method: 'POST', body: JSON.stringify({ until: new Date(until).toISOString(), reason: 'professionnel indisponible' }),
    }).catch(() => null);
    setBusy(false);
    if (response === null) { setResult('Pas de réseau : rien n\'a été changé. Réessayez.'); return; }
    if (!response.ok) {
      setResult(response.status === 400 ? 'La date de fin doit être dans le futur.' : 'La demande n\'a pas abouti : rien n\'a été changé. Réessayez ; si cela persiste, contactez le support.');
      return;
    }
    const answer = (await response.json()) as { blockedSlots: number; cancelledBookings: string[] };
    setResult(`${answer.blockedSlots} créneau(x) bloqué(s), ${answer.cancelledBookings.length} prise(s) en charge annulée(s) : les demandeurs sont prévenus et doivent réorienter leurs patients.`);
    onDone();
  };
  return (
    <form onSubmit={submit} aria-labelledby="illness">
      <h3 id="illness">Un professionnel tombe malade</h3>
      {/* Labels by id: a label wrapping a select would add the chosen name to the field's accessible name. */}
      <label for="illness-professional">Professionnel</label>
      <select id="illness-professional" name="professional" required>
        {professionals.map((p) => <option key={p.id} value={p.id}>{p.givenName} {p.familyName}</option>)}
      </select>
      <label for="illness-until">Absent jusqu'au</label>
      <input id="illness-until" type="datetime-local" name="until" required />
      <button type="submit" disabled={busy}>Bloquer ses créneaux et annuler ses prises en charge</button>
      {result !== '' ? <p role="status" data-testid="illness-result">{result}</p> : null}
    </form>
  );
}
